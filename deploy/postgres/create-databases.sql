-- One database per service (each service owns its data); run once by the postgres image on first start.
CREATE DATABASE haat_catalog;
CREATE DATABASE haat_orders;
CREATE DATABASE haat_connectors;
CREATE DATABASE haat_gateway;
