"""The web pages in a real browser (Debian's Chromium, driven by Playwright) against the whole running
system (`haat up`): a coordinator adds a product with a photo from her phone and bulk-uploads a file with
errors, an admin approves, the product goes live on both sandbox marketplaces, a buyer orders it and
the packing-house worker sees the order arrive without reloading, packs and ships it and opens its
invoice. Screenshots at phone and desktop width are written to var/screenshots for review."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from haat_catalog.adapters.spreadsheet import COLUMNS
from haat_connectors.demo import demo_credentials
from haat_gateway.demo import DEMO_PASSWORD
from haat_gateway.web.i18n import LABELS
from haat_testkit.system import RunningSystem, running_system
from haat_testkit.waiting import wait_for

from .conftest import OPEN_PAGES, SHOTS

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
SKU = "WEB-ACHAR-1"
# Chromium as root on a machine with a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


def chromium_path() -> str:
    found = os.environ.get("HAAT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the browser tests need Chromium: `make test` installs Debian's package (scripts/install-browser)")
    return found


# A slow day of this two-core machine runs the whole system several times slower: generous waits.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSystem]:
    # No generated demo orders: the test places the order it follows.
    with running_system(
        tmp_path_factory.mktemp("web") / "var", env={"HAAT_CONNECTORS_DEMO_ORDERS_PER_MINUTE": "0"}
    ) as up:
        wait_for(up.demo_sync_settled, timeout_s=300, interval_s=3, what="the demo catalog's first sync")
        yield up
    assert up.exit_code == 0, up.printed()[-3000:]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser: Browser, system: RunningSystem, viewport: dict[str, int], locale: str = "en-IN") -> Page:
    context = browser.new_context(viewport=viewport, locale=locale, base_url=system.url(), accept_downloads=True)
    context.set_default_timeout(45_000)
    context.set_default_navigation_timeout(90_000)
    page = context.new_page()
    OPEN_PAGES.append(page)
    return page


def log_in(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)


UNLABELLED = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
    .filter(field => !field.labels || field.labels.length === 0).map(field => field.name || field.id)"""


def shot(page: Page, name: str) -> None:
    """A screenshot for review, after the checks every page must pass: each field has a label (screen
    readers, tapping the label) and nothing is wider than the screen (no sideways scrolling on a phone)."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate(UNLABELLED) == [], f"{name}: fields without a label"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name}: wider than the screen"
    page.screenshot(path=SHOTS / f"{name}-{'phone' if width < 700 else 'desktop'}.png", full_page=True)


def photo(path: Path) -> Path:
    Image.new("RGB", (800, 600), (200, 120, 40)).save(path, "JPEG", quality=85)
    return path


def spreadsheet(path: Path) -> Path:
    good = {
        "sku": "WEB-KHES-1",
        "title_en": "Cotton khes",
        "title_hi": "सूती खेस",
        "category": "handloom",
        "hsn_code": "63049190",
        "gst_rate": "5",
        "mrp": "1,800",
        "price": "1499.50",
        "weight_grams": "1400",
    }
    bad = {**good, "sku": "WEB-KHES-2", "hsn_code": "12", "price": "lots"}  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for row in (good, bad):
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def test_coordinator_admin_and_packing_staff_do_their_work_in_the_browser(system, browser, tmp_path):
    coordinator = open_page(browser, system, PHONE)
    log_in(coordinator, "kanti")
    expect(coordinator.get_by_role("heading", name="What needs doing")).to_be_visible()
    shot(coordinator, "01-home")

    # Hindi, remembered from page to page.
    coordinator.get_by_role("link", name="हिंदी").click()
    expect(coordinator.get_by_role("heading", name="क्या करना है")).to_be_visible()
    coordinator.goto("/products")
    expect(coordinator.get_by_role("heading", name="उत्पाद")).to_be_visible()
    assert "₹" in coordinator.content()
    shot(coordinator, "02-products-hindi")
    coordinator.get_by_role("link", name="English").click()

    # A new product with a photo from the phone's camera, sent for approval.
    coordinator.goto("/products/new")
    coordinator.get_by_label("SKU").fill(SKU)
    coordinator.get_by_label("Name (Hindi)").fill("कच्चे आम का अचार (वेब)")
    coordinator.get_by_label("Name (English)").fill("Raw mango pickle (web)")
    coordinator.get_by_label("Category").select_option("pickles")
    coordinator.get_by_label("HSN code").fill("20019000")  # a tariff item the picker does not list
    # The GST rate is left to the HSN code: the rate table gives pickles 5% (12% before 22 Sep 2025).
    coordinator.get_by_label("MRP (₹)").fill("150")
    coordinator.get_by_label("Selling price (₹)").fill("129.50")
    coordinator.get_by_label("Weight (grams)").fill("300")
    for side, cm in (("Length", "12"), ("Width", "8"), ("Height", "10.5")):
        coordinator.get_by_label(f"{side} (cm)").fill(cm)
    coordinator.get_by_label("FSSAI licence number").fill("10020051000123")
    coordinator.get_by_label("Shelf life (days)").fill("365")
    coordinator.locator("input[name=shg_ids]").first.check()
    coordinator.get_by_label("Take or choose a photo").set_input_files(photo(tmp_path / "achar.jpg"))
    shot(coordinator, "03-new-product")
    coordinator.get_by_role("button", name="Save and send for approval").click()
    expect(coordinator.get_by_text("Awaiting approval").first).to_be_visible()
    expect(coordinator.locator(".meta")).to_contain_text("₹129.50")
    expect(coordinator.locator(".meta")).to_contain_text("GST 5%")
    thumbnail = coordinator.locator(".photos img").first
    expect(thumbnail).to_be_visible()
    coordinator.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    shot(coordinator, "04-product-submitted")

    # Bulk upload: the template downloads, and a file with a bad row shows that row's errors.
    coordinator.goto("/imports/new")
    with coordinator.expect_download() as template:
        coordinator.get_by_role("link", name="CSV").click()
    header = next(csv.reader(io.StringIO(Path(template.value.path()).read_text(encoding="utf-8-sig"))))
    assert header == [c.header for c in COLUMNS]
    coordinator.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(spreadsheet(tmp_path / "products.csv"))
    coordinator.get_by_role("button", name="Upload").click()
    expect(coordinator.locator("progress")).to_have_attribute("value", "100", timeout=120_000)
    report = coordinator.locator("table.report")
    expect(report).to_contain_text("3")  # the spreadsheet row of the bad product (row 1 is the header)
    expect(report).to_contain_text("price")
    expect(report).to_contain_text("is not an amount in rupees")
    expect(coordinator.locator("[data-field=created_rows]")).to_have_text("1")
    expect(coordinator.locator("[data-field=failed_rows]")).to_have_text("1")
    # A preview: nothing is changed until she applies it.
    expect(coordinator.locator("[data-preview=created]")).to_contain_text("1")
    shot(coordinator, "05-bulk-upload-preview")
    coordinator.get_by_role("button", name="Apply the file").click()
    expect(coordinator.locator("progress")).to_have_attribute("value", "100", timeout=120_000)
    expect(coordinator.locator("[data-preview]")).to_have_count(0, timeout=120_000)  # applied: no preview left
    expect(coordinator.locator("[data-field=created_rows]")).to_have_text("1")
    shot(coordinator, "05-bulk-upload-report")

    # The admin approves it (desktop width).
    admin = open_page(browser, system, DESKTOP)
    log_in(admin, "admin")
    admin.goto("/admin/approvals")
    row = admin.locator("li.product-row", has_text=SKU)
    shot(admin, "06-approvals")
    row.get_by_role("button", name="Approve").click()
    expect(admin.locator("li.product-row", has_text=SKU)).to_have_count(0)

    # The admin adds a CLF from the page: a mistyped GSTIN is refused saying why, then it is added.
    admin.goto("/admin/clfs")
    new_clf = admin.locator("#new-clf")
    new_clf.get_by_label("Name (English)").fill("Web Test Mahila CLF")
    new_clf.get_by_label("Block").select_option("1260")
    new_clf.get_by_label("GSTIN").fill("10AABCB1334K1ZC")  # last character mistyped
    new_clf.get_by_role("button", name="Add a CLF").click()
    expect(admin.locator("#new-clf [role=alert]")).to_contain_text("check it for a typing mistake")
    new_clf = admin.locator("#new-clf")
    new_clf.get_by_label("Name (English)").fill("Web Test Mahila CLF")
    new_clf.get_by_label("Block").select_option("1260")
    new_clf.get_by_label("GSTIN").fill("10AABCB1334K1ZB")
    new_clf.get_by_role("button", name="Add a CLF").click()
    added = admin.locator("section.card", has_text="Web Test Mahila CLF")
    expect(added).to_contain_text("GSTIN 10AABCB1334K1ZB")
    shot(admin, "06-admin-clfs")

    # The coordinator publishes it and records the goods received: it goes live on both marketplaces.
    coordinator.goto(f"/products/{SKU}")
    coordinator.get_by_role("button", name="Publish to marketplaces").click()
    expect(coordinator.get_by_label("Packaging house")).to_have_value("ph-kanti")  # the CLF's own house first
    coordinator.get_by_label("Goods received (units)").fill("10")
    coordinator.locator("form[action$='/stock'] button").click()
    for channel in ("amazon", "flipkart"):
        badge = coordinator.locator("section", has_text="On the marketplaces").locator("li", has_text=channel)
        for _ in range(60):  # the sync runs at the marketplaces' quotas: reload until both are live
            if badge.count() and "Live" in badge.inner_text() and "10" in badge.inner_text():
                break
            coordinator.wait_for_timeout(2000)
            coordinator.reload()
        expect(badge).to_contain_text("Live")
    shot(coordinator, "07-product-live")

    # A buyer orders it on Amazon while the packing-house worker looks at her queue: it appears by itself.
    staff = open_page(browser, system, PHONE)
    log_in(staff, "kanti-packing")
    expect(staff.get_by_role("heading", name="Order queue")).to_be_visible()
    staff.evaluate("window.stillTheSamePage = true")
    seller, _ = demo_credentials("amazon", "clf-kanti")
    sold = httpx.post(f"{system.sandbox_url('amazon')}/_sandbox/orders", timeout=10,
                      json={"seller_id": seller, "items": [{"sku": SKU, "quantity": 2}]})  # fmt: skip
    assert sold.status_code == 201, sold.text
    order_id = f"amazon-{sold.json()['AmazonOrderId']}"
    row = staff.locator(f"[data-order='{order_id}']")
    expect(row).to_be_visible(timeout=120_000)
    assert staff.evaluate("window.stillTheSamePage === true"), "the order arrived without a reload"
    shot(staff, "08-queue-live-order")

    # Pick list, then accept, pack and ship it; its invoice opens as a PDF.
    row.locator("input[type=checkbox]").check()
    with staff.context.expect_event("response", lambda answer: answer.url.endswith("/picklist")) as pick_list:
        staff.get_by_role("button", name="Pick list for the selected").click()
    assert pick_list.value.status == 200
    assert pick_list.value.headers["content-type"] == "application/pdf"
    expect(row.locator(".lines")).to_contain_text("× 2")  # what to pick, on the row itself  # noqa: RUF001
    staff.get_by_role("button", name="Accept the selected orders").click()
    expect(staff.locator("p.flash")).to_contain_text("Accepted: 1.")
    staff.locator(f"[data-order='{order_id}']").get_by_role("link").click()
    expect(staff.locator(".meta .badge").first).to_have_text("Accepted")
    staff.get_by_label("Weight (grams)").fill("650")
    staff.get_by_label("Length (cm)").fill("20")
    staff.get_by_label("Width (cm)").fill("15")
    staff.get_by_label("Height (cm)").fill("10")
    shot(staff, "09-pack")
    staff.get_by_role("button", name="Pack").click()
    expect(staff.locator(".meta .badge").first).to_have_text("Packed")
    # Amazon makes no label for a seller-shipped order: no button that could only fail (Flipkart's has one).
    expect(staff.get_by_role("link", name="Shipping label")).to_have_count(0)
    staff.get_by_label("Courier").fill("India Post")
    staff.get_by_label("Tracking id").fill("EE123456789IN")
    staff.get_by_role("button", name="Ship").click()
    expect(staff.locator(".meta .badge").first).to_have_text("Shipped")
    invoice_link = staff.get_by_role("link", name="Invoice")
    invoice = staff.request.get(invoice_link.get_attribute("href") or "")
    assert invoice.status == 200
    assert invoice.headers["content-type"] == "application/pdf"
    assert invoice.body().startswith(b"%PDF-")
    slip = staff.request.get(f"/orders/{order_id}/packing-slip.pdf")
    assert slip.body().startswith(b"%PDF-")
    shot(staff, "10-shipped")

    # Desktop width of the same pages, for review.
    for page_, path, name in ((admin, "/admin/dashboard", "11-dashboard"), (admin, "/queue", "12-queue"),
                              (admin, f"/orders/{order_id}", "13-order")):  # fmt: skip
        page_.goto(path)
        shot(page_, name)


def test_pages_show_and_change_only_what_the_person_may(system, browser):
    coordinator = open_page(browser, system, PHONE)
    log_in(coordinator, "kanti")
    # Another CLF's product: not found, as through the API.
    answer = coordinator.goto("/products/HALDI-200G?clf_id=clf-bodhgaya")
    assert answer is not None
    assert answer.status == 404
    # Admin pages: not for coordinators.
    answer = coordinator.goto("/admin/access")
    assert answer is not None
    assert answer.status == 403
    # A form posted without the page's CSRF token is refused and changes nothing.
    forged = coordinator.request.post("/registry/shgs", form={"name": "Forged SHG", "clf_id": "clf-kanti"})
    assert forged.status == 403
    coordinator.goto("/registry")
    expect(coordinator.get_by_text("Forged SHG")).to_have_count(0)

    staff = open_page(browser, system, PHONE)
    log_in(staff, "kanti-packing")
    answer = staff.goto("/products")
    assert answer is not None
    assert answer.status == 403
    # Anonymous: to the log-in page, and back to where they were going afterwards.
    anonymous = open_page(browser, system, PHONE)
    anonymous.goto("/queue?state=created")
    expect(anonymous).to_have_url(re.compile(r"/login\?next=%2Fqueue%3Fstate%3Dcreated"))
    # A wrong password says so without saying which part was wrong.
    anonymous.get_by_label("Username").fill("kanti")
    anonymous.get_by_label("Password").fill("not the password")
    anonymous.get_by_role("button", name="Log in").click()
    expect(anonymous.get_by_role("alert")).to_have_text("Wrong username or password.")


# The pages' own words in English (not names, codes or data): none may show on a Hindi page.
ENGLISH_LABELS = sorted({en for en, hi in LABELS.values() if en != hi and len(en) > 3 and " " in en.strip()})
ENGLISH_LEFT_OVER = re.compile(r"\b(is taxable|choose its|needed to ship|cannot (submit|approve)|not a GST rate)\b")


def test_a_coordinator_in_hindi_gets_gst_right_and_meets_no_dead_end(system, browser, tmp_path):
    """At 360 px in Hindi: 0% GST on a pickle is stopped with a Hindi reason, the rate then comes from the
    HSN code; a photo taken by mistake is removed; a rejected product goes back for approval; an approved
    one waits on her home page to be published."""
    sku = "WEB-NIMBU-1"
    didi = open_page(browser, system, PHONE, locale="hi-IN")
    didi.goto("/")
    didi.get_by_label("यूज़रनेम").fill("kanti")
    didi.get_by_label("पासवर्ड").fill(DEMO_PASSWORD)
    didi.get_by_role("button", name="लॉग इन करें").click()
    expect(didi.get_by_role("heading", name="क्या करना है")).to_be_visible()

    didi.goto("/products/new")
    didi.get_by_label("SKU").fill(sku)
    didi.get_by_label("नाम (हिंदी)").fill("नींबू का अचार (जाँच)")
    didi.get_by_label("श्रेणी").select_option("pickles")
    didi.get_by_label("HSN कोड").fill("20019000")
    didi.get_by_label("अधिकतम खुदरा मूल्य (₹)").fill("120")
    didi.get_by_label("बिक्री मूल्य (₹)").fill("99")
    didi.get_by_label("वज़न (ग्राम)").fill("300")
    for side in ("लंबाई", "चौड़ाई", "ऊँचाई"):
        didi.get_by_label(f"{side} (सेमी)").fill("10")
    didi.get_by_label("FSSAI लाइसेंस नंबर").fill("10020051000123")
    didi.get_by_label("उपयोग अवधि (दिन)").fill("180")
    didi.get_by_label("GST दर").select_option("0")  # she picks 0% by mistake
    didi.locator("input[name=shg_ids]").first.check()
    didi.get_by_label("फ़ोटो लें या चुनें").set_input_files(photo(tmp_path / "nimbu.jpg"))
    didi.get_by_role("button", name="सहेजें और मंज़ूरी के लिए भेजें").click()
    # Saved as a draft with its photo; sending it was refused, in Hindi, naming the code and the right rate.
    alert = didi.get_by_role("alert").first
    expect(alert).to_contain_text("एचएसएन 20019000 पर 5%")
    expect(didi.locator(".meta")).to_contain_text("ड्राफ़्ट")
    expect(didi.locator(".photos img")).to_have_count(1)
    assert not ENGLISH_LEFT_OVER.search(didi.inner_text("main"))
    shot(didi, "08-gst-refused-hindi")

    didi.get_by_label("GST दर").select_option("")  # "by the HSN code"
    didi.locator("form.product-form button[type=submit]").first.click()
    expect(didi.locator(".meta")).to_contain_text("GST 5%")
    didi.get_by_role("button", name="फ़ोटो हटाएँ").click()  # the photo was of the wrong jar
    expect(didi.locator("p.flash")).to_contain_text("फ़ोटो हटा दी गई")
    expect(didi.locator(".photos img")).to_have_count(0)
    didi.get_by_role("button", name="मंज़ूरी के लिए भेजें").click()
    expect(didi.locator(".meta")).to_contain_text("मंज़ूरी बाकी")

    admin = open_page(browser, system, DESKTOP)
    log_in(admin, "admin")
    admin.goto("/admin/approvals")
    row = admin.locator("li.product-row", has_text=sku)
    row.get_by_label("Reason").fill("Add a photo of the jar with its label")
    row.get_by_role("button", name="Reject").click()
    expect(admin.locator("li.product-row", has_text=sku)).to_have_count(0)

    # Rejected: she adds the photo and sends it again; no dead end, no edit needed.
    didi.goto(f"/products/{sku}?clf_id=clf-kanti")
    expect(didi.locator(".meta")).to_contain_text("Add a photo of the jar")
    didi.get_by_label("फ़ोटो लें या चुनें").set_input_files(photo(tmp_path / "nimbu-label.jpg"))
    didi.locator("form.product-form button[type=submit]").first.click()
    expect(didi.locator(".photos img")).to_have_count(1)
    didi.get_by_role("button", name="मंज़ूरी के लिए भेजें").click()
    expect(didi.locator(".meta")).to_contain_text("मंज़ूरी बाकी")

    admin.goto("/admin/approvals")
    admin.locator("li.product-row", has_text=sku).get_by_role("button", name="Approve").click()
    expect(admin.locator("li.product-row", has_text=sku)).to_have_count(0)

    # Approved: her home page says so and publishes from there.
    didi.goto("/")
    card = didi.locator("section.approved")
    expect(card).to_contain_text("नींबू का अचार (जाँच)")
    shot(didi, "09-approved-publish-now")
    card.locator("li", has_text="नींबू का अचार (जाँच)").get_by_role("button", name="मार्केटप्लेस पर प्रकाशित करें").click()
    didi.goto(f"/products/{sku}?clf_id=clf-kanti")
    expect(didi.locator(".meta")).to_contain_text("प्रकाशित")

    # Every page she works on, in Hindi: no label left in English, nothing wider than her phone.
    for path in ("/", "/products", f"/products/{sku}?clf_id=clf-kanti", "/products/new", "/imports/new",
                 "/registry", "/sales", "/settlements"):  # fmt: skip
        didi.goto(path)
        seen = didi.inner_text("main")
        left = [english for english in ENGLISH_LABELS if re.search(rf"(?<![\w-]){re.escape(english)}(?![\w-])", seen)]
        assert not left, f"{path}: English labels on a Hindi page: {left}"
        shot(didi, "hindi" + path.split("?")[0].replace("/", "-"))


def test_the_admins_tables_fit_a_phone(system, browser):
    """An admin on a phone: the webhook log, users and keys, CLFs, approvals and settlements all fit 360 px
    (shot() fails on anything wider than the screen)."""
    admin = open_page(browser, system, PHONE)
    log_in(admin, "admin")
    for path, name in (("/admin/webhooks", "14-webhooks"), ("/admin/access", "15-access"),
                       ("/admin/clfs", "16-clfs"), ("/admin/approvals", "17-approvals"),
                       ("/settlements", "18-settlements")):  # fmt: skip
        admin.goto(path)
        shot(admin, name)
