"""Tables of the connectors database. Seller accounts and listing records arrive with the connectors issue."""

from sqlalchemy import MetaData

from haat.messaging_tables import add_messaging_tables

metadata = MetaData()
add_messaging_tables(metadata)
