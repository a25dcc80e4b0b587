"""Every label of the web pages in English and Hindi, and the formats people in India read numbers in.

A page asks for a label by its key (`t("save")`); the language is the person's choice, kept in a cookie,
and on a first visit the browser's preferred language. A key without a translation is a bug that the
page tests catch (they look for the key itself showing up on a page).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from haat.documents.indian_format import IST as _IST
from haat.documents.indian_format import hindi_first, indian_date, indian_number, paise_from_rupees, rupees

__all__ = ["LABELS", "LANGUAGES", "Translator", "count", "language_of", "money", "paise_from_rupees", "when"]


LANGUAGES = ("hi", "en")
LABELS: dict[str, tuple[str, str]] = {
    # key: (English, Hindi)
    "app": ("Haat", "हाट"),
    "language": ("हिंदी", "English"),  # the switch shows the other language
    "log_in": ("Log in", "लॉग इन करें"),
    "log_out": ("Log out", "लॉग आउट"),
    "username": ("Username", "यूज़रनेम"),
    "password": ("Password", "पासवर्ड"),
    "login_failed": ("Wrong username or password.", "यूज़रनेम या पासवर्ड गलत है।"),
    "login_locked": ("Too many attempts. Try again in a few minutes.", "बहुत बार गलत कोशिश। कुछ मिनट बाद फिर करें।"),
    "home": ("Home", "होम"),
    "to_do": ("What needs doing", "क्या करना है"),
    "products": ("Products", "उत्पाद"),
    "new_product": ("Add a product", "नया उत्पाद जोड़ें"),
    "bulk_upload": ("Bulk upload", "एक साथ अपलोड"),
    "registry": ("SHGs and members", "स्वयं सहायता समूह और सदस्य"),
    "sales": ("Sales", "बिक्री"),
    "settlements": ("Settlements", "भुगतान"),
    "queue": ("Order queue", "ऑर्डर कतार"),
    "approvals": ("Approvals", "मंज़ूरी"),
    "clfs_accounts": ("CLFs and seller accounts", "संकुल संघ और विक्रेता खाते"),
    "access": ("Users and API keys", "यूज़र और API कुंजियाँ"),
    "webhooks": ("Webhooks", "वेबहुक"),
    "dashboard": ("District dashboard", "ज़िला डैशबोर्ड"),
    "drafts": ("Drafts to finish", "अधूरे ड्राफ़्ट"),
    "rejected": ("Rejected", "अस्वीकृत"),
    "rejected_listings": ("Listings the marketplaces rejected", "मार्केटप्लेस द्वारा अस्वीकृत लिस्टिंग"),
    "low_stock": ("Low stock", "कम स्टॉक"),
    "todays_orders": ("Today's orders", "आज के ऑर्डर"),
    "sla_risk": ("Orders at risk of missing ship-by", "समय पर न भेजे जाने के जोखिम वाले ऑर्डर"),
    "nothing": ("Nothing here.", "यहाँ कुछ नहीं है।"),
    "search": ("Search", "खोजें"),
    "search_hint": ("Name in Hindi or English, or SKU", "हिंदी या अंग्रेज़ी में नाम, या SKU"),
    "status": ("Status", "स्थिति"),
    "all": ("All", "सभी"),
    "channel": ("Marketplace", "मार्केटप्लेस"),
    "sku": ("SKU (product code)", "SKU (उत्पाद कोड)"),
    "sku_taken": (
        "SKU {typed} was already taken: this product was saved as {sku}, with its photo.",
        "SKU {typed} पहले से था: यह उत्पाद अपनी फ़ोटो के साथ {sku} नाम से सहेजा गया।",
    ),
    "sku_hint": ("leave blank: made from the name", "खाली छोड़ें: नाम से बन जाएगा"),
    "title_en": ("Name (English)", "नाम (अंग्रेज़ी)"),
    "title_hi": ("Name (Hindi)", "नाम (हिंदी)"),
    "description_en": ("Description (English)", "विवरण (अंग्रेज़ी)"),
    "description_hi": ("Description (Hindi)", "विवरण (हिंदी)"),
    "category": ("Category", "श्रेणी"),
    "hsn_code": ("HSN code", "HSN कोड"),
    "hsn_hint": ("Type a number or a word: 0910 turmeric", "नंबर या शब्द लिखें: 0910 हल्दी"),
    "gst_rate": ("GST rate", "GST दर"),
    "shg": ("Self-help group", "स्वयं सहायता समूह"),
    "sla": ("Ship-by", "भेजने की समय-सीमा"),
    "channel_amazon": ("Amazon", "अमेज़न"),
    "channel_flipkart": ("Flipkart", "फ्लिपकार्ट"),
    "channel_ondc": ("ONDC", "ओएनडीसी"),
    "payout_per_unit": ("One sold pays you about", "एक बिकने पर आपको लगभग मिलेगा"),
    "payout_after": (
        "after the marketplace's fee, shipping, TCS and TDS",
        "मार्केटप्लेस शुल्क, शिपिंग, टीसीएस और टीडीएस कटने के बाद",
    ),
    "fee": ("Marketplace fee", "मार्केटप्लेस शुल्क"),
    "no_bank_details": (
        "Not in the bank file until their bank details are added: {shgs}.",
        "बैंक विवरण जुड़ने तक ये बैंक फ़ाइल में नहीं हैं: {shgs}।",
    ),
    "delivery_pending": ("Waiting to be sent", "भेजा जाना बाकी"),
    "delivery_delivered": ("Delivered", "पहुँचा"),
    "delivery_failed": ("Gave up", "भेजना बंद"),
    "next_attempt": ("next attempt", "अगली कोशिश"),
    "check_numbers": ("Check the numbers.", "संख्याएँ जाँचें।"),
    "to_do_now": ("To do now", "अभी करना है"),
    "select_all": ("Select all", "सभी चुनें"),
    "accept_selected": ("Accept the selected orders", "चुने हुए ऑर्डर स्वीकार करें"),
    "accepted_many": ("Accepted: {n}.", "स्वीकार किए: {n}।"),
    "not_accepted": ("Could not accept: {ids}.", "स्वीकार नहीं हो सके: {ids}।"),
    "cancel_sure": ("Yes, cancel this order (the buyer is told)", "हाँ, यह ऑर्डर रद्द करें (ख़रीदार को बताया जाएगा)"),
    "preview_first": (
        "Nothing is changed yet: first see what this file would do, then choose.",
        "अभी कुछ नहीं बदला है: पहले देखें कि यह फ़ाइल क्या करेगी, फिर चुनें।",
    ),
    "preview_title": ("What this file would do", "यह फ़ाइल क्या करेगी"),
    "preview_created": ("New products", "नए उत्पाद"),
    "preview_updated": ("Products changed", "बदले जाने वाले उत्पाद"),
    "preview_live": ("Products on the marketplaces that would change", "मार्केटप्लेस पर चालू उत्पाद जो बदलेंगे"),
    "preview_unchanged": ("Rows that change nothing", "पंक्तियाँ जिनसे कुछ नहीं बदलेगा"),
    "preview_bad": ("Rows with mistakes (see below)", "गलती वाली पंक्तियाँ (नीचे देखें)"),
    "show_skus": ("Show the SKUs", "SKU देखें"),
    "change_live": (
        "Also change the {n} products already on the marketplaces (buyers see the change)",
        "मार्केटप्लेस पर चालू {n} उत्पाद भी बदलें (ख़रीदार बदलाव देखेंगे)",
    ),
    "apply_import": ("Apply the file", "फ़ाइल लागू करें"),
    "discard_import": ("Discard it", "रद्द करें"),
    "import_discarded": ("The file was discarded; nothing was changed.", "फ़ाइल रद्द की गई; कुछ नहीं बदला।"),
    "automatic": ("Haat (automatic)", "हाट (अपने आप)"),
    "add_clf": ("Add a CLF", "संकुल संघ जोड़ें"),
    "add_seller_account": ("Add a marketplace seller account", "मार्केटप्लेस विक्रेता खाता जोड़ें"),
    "seller_id": ("Seller id (from the marketplace)", "विक्रेता आईडी (मार्केटप्लेस से)"),
    "location_id": ("Location id (Flipkart)", "लोकेशन आईडी (फ्लिपकार्ट)"),
    "block": ("Block", "प्रखंड"),
    "not_gst_registered": ("not registered (bills of supply)", "पंजीकृत नहीं (आपूर्ति बिल)"),
    "gstin_hint": ("blank if not registered for GST", "जीएसटी में पंजीकृत न हो तो खाली छोड़ें"),
    "address": ("Address (printed on invoices)", "पता (बिल पर छपता है)"),
    "pincode": ("PIN code", "पिन कोड"),
    "publish_on_approval": (
        "Publish our products on the marketplaces as soon as they are approved",
        "हमारे उत्पाद मंज़ूर होते ही मार्केटप्लेस पर प्रकाशित करें",
    ),
    "approved_publish_now": ("Approved: publish now", "मंज़ूर हो गया: अब प्रकाशित करें"),
    "remove_photo": ("Remove photo", "फ़ोटो हटाएँ"),
    "photo_removed": ("The photo was removed.", "फ़ोटो हटा दी गई।"),
    "to_ship": ("To ship (the marketplaces ask for these)", "भेजने के लिए (मार्केटप्लेस इन्हें माँगते हैं)"),
    "gst_by_hsn": ("By the HSN code (automatic)", "एचएसएन कोड से (अपने आप)"),
    "gst_help": (
        "Haat fills in the rate the law gives the HSN code. Choose one only where the code has more than one.",
        "हाट एचएसएन कोड पर क़ानून वाली दर अपने आप भरता है। दर तभी चुनें जब कोड की एक से ज़्यादा दरें हों।",
    ),
    "gst_exempt_reason": ("GST exempt because (only if exempt)", "जीएसटी छूट का कारण (केवल छूट होने पर)"),
    "gst_exempt_hint": ("e.g. lac bangles: nil rate", "जैसे लाख की चूड़ियाँ: शून्य दर"),
    "gst_exempt": ("Exempt from GST", "जीएसटी से छूट"),
    "gst_mismatch": (
        "GST {rate} does not match the rate table: HSN {hsn} is taxed at {expected}.",
        "जीएसटी {rate} दर-सूची से मेल नहीं खाता: एचएसएन {hsn} पर {expected} लगता है।",
    ),
    "gst_unknown_code": (
        "HSN {hsn} is not in Haat's rate table: check the GST rate by hand.",
        "एचएसएन {hsn} हाट की दर-सूची में नहीं है: जीएसटी दर ख़ुद जाँचें।",
    ),
    "gst_blocked": (
        "This GST rate cannot be approved or published until it is corrected.",
        "यह जीएसटी दर ठीक होने तक उत्पाद मंज़ूर या प्रकाशित नहीं हो सकता।",
    ),
    "or": (" or ", " या "),
    "mrp": ("MRP (₹)", "अधिकतम खुदरा मूल्य (₹)"),
    "price": ("Selling price (₹)", "बिक्री मूल्य (₹)"),
    "weight_grams": ("Weight (grams)", "वज़न (ग्राम)"),
    "food_only": ("For food", "खाने की चीज़ों के लिए"),
    "fssai_licence": ("FSSAI licence number", "FSSAI लाइसेंस नंबर"),
    "shelf_life_days": ("Shelf life (days)", "उपयोग अवधि (दिन)"),
    "shgs": ("Self-help groups", "स्वयं सहायता समूह"),
    "photo": ("Photo", "फ़ोटो"),
    "add_photo": ("Take or choose a photo", "फ़ोटो लें या चुनें"),
    "save_draft": ("Save as draft", "ड्राफ़्ट सहेजें"),
    "save_submit": ("Save and send for approval", "सहेजें और मंज़ूरी के लिए भेजें"),
    "save": ("Save", "सहेजें"),
    "saved": ("Saved.", "सहेज लिया।"),
    "submit": ("Send for approval", "मंज़ूरी के लिए भेजें"),
    "approve": ("Approve", "मंज़ूर करें"),
    "reject": ("Reject", "अस्वीकार करें"),
    "reason": ("Reason", "कारण"),
    "publish": ("Publish to marketplaces", "मार्केटप्लेस पर प्रकाशित करें"),
    "retire": ("Retire", "हटाएँ"),
    "listings": ("On the marketplaces", "मार्केटप्लेस पर"),
    "issues": ("What the marketplace said", "मार्केटप्लेस ने क्या कहा"),
    "stock": ("Stock", "स्टॉक"),
    "available": ("Available", "उपलब्ध"),
    "stock_received": ("Goods received (units)", "माल आया (नग)"),
    "history": ("History", "इतिहास"),
    "next_page": ("Next page", "अगला पेज"),
    "download_template": ("Download the template", "टेम्पलेट डाउनलोड करें"),
    "choose_file": ("Spreadsheet (CSV or XLSX)", "स्प्रेडशीट (CSV या XLSX)"),
    "upload": ("Upload", "अपलोड करें"),
    "submit_rows": ("Send the good rows for approval", "सही पंक्तियाँ मंज़ूरी के लिए भेजें"),
    "progress": ("Progress", "प्रगति"),
    "rows_done": ("rows done", "पंक्तियाँ पूरी"),
    "rows_created": ("created", "बने"),
    "rows_updated": ("updated", "बदले"),
    "rows_failed": ("with errors", "त्रुटि वाली"),
    "row": ("Row", "पंक्ति"),
    "column": ("Column", "कॉलम"),
    "error": ("Error", "त्रुटि"),
    "errors_csv": ("Download the rows to fix", "सुधारने वाली पंक्तियाँ डाउनलोड करें"),
    "members": ("Members", "सदस्य"),
    "name": ("Name", "नाम"),
    "name_hi": ("Name in Hindi", "हिंदी में नाम"),
    "village": ("Village", "गाँव"),
    "add_shg": ("Add an SHG", "समूह जोड़ें"),
    "add_member": ("Add a member", "सदस्य जोड़ें"),
    "phone": ("Phone", "फ़ोन"),
    "skills": ("Skills", "हुनर"),
    "by_shg": ("Sales per SHG", "समूह अनुसार बिक्री"),
    "by_month": ("Sales per month", "महीने अनुसार बिक्री"),
    "by_district": ("Sales per district", "ज़िला अनुसार बिक्री"),
    "by_channel": ("Sales per marketplace", "मार्केटप्लेस अनुसार बिक्री"),
    "by_product": ("Sales per product", "उत्पाद अनुसार बिक्री"),
    "gross": ("Gross", "कुल"),
    "net": ("Net payable", "देय राशि"),
    "units": ("Units", "नग"),
    "orders": ("Orders", "ऑर्डर"),
    "download_csv": ("Download CSV", "CSV डाउनलोड करें"),
    "period": ("Period", "अवधि"),
    "paid": ("Paid", "भुगतान हुआ"),
    "unpaid": ("Not paid yet", "भुगतान बाकी"),
    "mark_paid": ("Mark paid", "भुगतान दर्ज करें"),
    "bank_reference": ("Bank reference", "बैंक संदर्भ"),
    "draw_up": ("Draw up settlements", "भुगतान तैयार करें"),
    "bank_file": ("Bank payment file", "बैंक भुगतान फ़ाइल"),
    "from": ("From", "से"),
    "to": ("To", "तक"),
    "order": ("Order", "ऑर्डर"),
    "ship_by": ("Ship by", "भेजने की अंतिम तिथि"),
    "buyer": ("Buyer", "खरीदार"),
    "total": ("Total", "कुल"),
    "items": ("Items", "सामान"),
    "quantity": ("Qty", "मात्रा"),
    "select": ("Select", "चुनें"),
    "pick_list": ("Pick list for the selected", "चुने हुए ऑर्डरों की पिक लिस्ट"),
    "live": ("Live: new orders appear by themselves", "लाइव: नए ऑर्डर अपने आप दिखेंगे"),
    "new_order": ("New order", "नया ऑर्डर"),
    "accept": ("Accept", "स्वीकार करें"),
    "pack": ("Pack", "पैक करें"),
    "ship": ("Ship", "भेजें"),
    "deliver": ("Delivered", "पहुँच गया"),
    "cancel": ("Cancel the order", "ऑर्डर रद्द करें"),
    "return": ("Goods came back", "सामान वापस आया"),
    "restocked": ("Fit to sell again", "फिर से बेचने लायक"),
    "length_cm": ("Length (cm)", "लंबाई (सेमी)"),
    "width_cm": ("Width (cm)", "चौड़ाई (सेमी)"),
    "height_cm": ("Height (cm)", "ऊँचाई (सेमी)"),
    "carrier": ("Courier", "कूरियर"),
    "tracking_id": ("Tracking id", "ट्रैकिंग नंबर"),
    "label": ("Shipping label", "शिपिंग लेबल"),
    "packing_slip": ("Packing slip", "पैकिंग पर्ची"),
    "invoice": ("Invoice", "बीजक"),
    "credit_note": ("Credit note", "क्रेडिट नोट"),
    "sla_on_track": ("On time", "समय पर"),
    "sla_at_risk": ("At risk", "जोखिम में"),
    "sla_late": ("Late", "देर"),
    "due_in": ("due in", "बचा समय"),
    "overdue": ("overdue by", "देर"),
    "state_created": ("New", "नया"),
    "state_accepted": ("Accepted", "स्वीकृत"),
    "state_packed": ("Packed", "पैक"),
    "state_shipped": ("Shipped", "भेजा गया"),
    "state_delivered": ("Delivered", "पहुँचा"),
    "state_cancelled": ("Cancelled", "रद्द"),
    "state_return_requested": ("Return requested", "वापसी माँगी"),
    "state_returned": ("Returned", "वापस आया"),
    "status_draft": ("Draft", "ड्राफ़्ट"),
    "status_submitted": ("Awaiting approval", "मंज़ूरी बाकी"),
    "status_approved": ("Approved", "मंज़ूर"),
    "status_published": ("Published", "प्रकाशित"),
    "status_rejected": ("Rejected", "अस्वीकृत"),
    "status_retired": ("Retired", "हटाया गया"),
    "listing_pending": ("Pending", "प्रतीक्षा में"),
    "listing_live": ("Live", "लाइव"),
    "listing_rejected": ("Rejected", "अस्वीकृत"),
    "listing_suppressed": ("Suppressed", "रोका गया"),
    "listing_inactive": ("Inactive", "निष्क्रिय"),
    "seller_accounts": ("Seller accounts", "विक्रेता खाते"),
    "resync": ("Send every listing again", "सारी लिस्टिंग फिर भेजें"),
    "in_sync": ("in sync", "मेल में"),
    "enabled": ("Enabled", "चालू"),
    "disabled": ("Disabled", "बंद"),
    "users": ("Users", "यूज़र"),
    "api_keys": ("API keys", "API कुंजियाँ"),
    "role": ("Role", "भूमिका"),
    "clf": ("CLF", "संकुल संघ"),
    "packaging_house": ("Packaging house", "पैकेजिंग हाउस"),
    "create_user": ("Add a user", "यूज़र जोड़ें"),
    "create_key": ("Create an API key", "API कुंजी बनाएँ"),
    "key_shown_once": ("Copy this key now: it is not shown again.", "यह कुंजी अभी कॉपी करें: यह दोबारा नहीं दिखेगी।"),
    "secret_shown_once": (
        "Copy this signing secret now: it is not shown again.",
        "यह सीक्रेट अभी कॉपी करें: यह दोबारा नहीं दिखेगा।",
    ),
    "revoke": ("Revoke", "रद्द करें"),
    "revoked": ("Revoked", "रद्द"),
    "disable": ("Disable", "बंद करें"),
    "enable": ("Enable", "चालू करें"),
    "last_used": ("Last used", "आख़िरी उपयोग"),
    "endpoint_url": ("Endpoint URL", "एंडपॉइंट URL"),
    "event_types": ("Event types", "इवेंट प्रकार"),
    "add_endpoint": ("Add an endpoint", "एंडपॉइंट जोड़ें"),
    "deliveries": ("Delivery log", "डिलीवरी लॉग"),
    "retry": ("Retry now", "अभी फिर भेजें"),
    "replay_since": ("Send again everything since", "इसके बाद का सब फिर भेजें"),
    "replay": ("Replay", "फिर भेजें"),
    "attempts": ("Attempts", "प्रयास"),
    "when": ("When", "कब"),
    "description": ("Description", "विवरण"),
    "products_live": ("Products live per marketplace", "मार्केटप्लेस पर लाइव उत्पाद"),
    "district": ("District", "ज़िला"),
    "not_allowed": ("You cannot open this page.", "आप यह पेज नहीं खोल सकते।"),
    "not_found": ("Not found.", "नहीं मिला।"),
    "problem": ("Something went wrong", "कुछ गड़बड़ हुई"),
    "try_again": ("Please check and try again.", "कृपया जाँचें और फिर कोशिश करें।"),
    "session_ended": ("Your session ended; please log in again.", "आपका सत्र समाप्त हुआ; कृपया फिर लॉग इन करें।"),
    "skip_to_content": ("Skip to content", "सामग्री पर जाएँ"),
    "menu": ("Menu", "मेनू"),
    "print": ("Print", "प्रिंट करें"),
    "open_pdf": ("Open PDF", "PDF खोलें"),
    "none_selected": ("Select at least one order.", "कम से कम एक ऑर्डर चुनें।"),
    "awaiting_approval": ("Products awaiting approval", "मंज़ूरी के इंतज़ार में उत्पाद"),
    "actions": ("Actions", "कार्य"),
}


def language_of(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LANGUAGES:
        return cookie
    first = (accept_language or "").split(",")[0].strip().lower()
    return "hi" if first.startswith("hi") else "en"


class Translator:
    def __init__(self, language: str) -> None:
        self.language = language
        self._index = 1 if language == "hi" else 0

    def __call__(self, key: str) -> str:
        pair = LABELS.get(key)
        return pair[self._index] if pair else key


def money(paise: Any) -> str:
    return rupees(int(paise)) if paise is not None else "—"


def count(value: Any) -> str:
    return indian_number(int(value)) if value is not None else "—"


def when(value: Any) -> str:
    """A time as a date and an hour in India (IST, UTC+05:30), the clock the staff live by."""
    if not value:
        return "—"
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00")) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    ist = moment.astimezone(_IST)
    return ist.strftime("%d-%m-%Y %H:%M")


def named(title: Any, language: str) -> str:
    """An item's name as the page's reader wants it: Hindi part first on a Hindi page."""
    return hindi_first(str(title)) if language == "hi" else str(title)


def day(value: Any) -> str:
    """A date as people in India write it, DD-MM-YYYY, in Indian time."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return indian_date(moment) if moment else ""


def percent(basis_points: Any) -> str:
    """A rate in basis points as people write it: 500 → "5%", 25 → "0.25%"."""
    return f"{int(basis_points) / 100:g}%"


def rupees_input(paise: Any) -> str:
    """Paise as a value for a rupee field: 24950 → "249.50"."""
    if paise in (None, ""):
        return ""
    whole, rest = divmod(int(paise), 100)
    return f"{whole}.{rest:02d}"
