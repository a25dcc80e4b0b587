"""Haat orders service: one order model for every channel, fulfilment, GST invoices, settlements."""
