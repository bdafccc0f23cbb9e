/** The JDBC order store for PostgreSQL (arrives with the durable-stores work). */
package dev.orderly.persistence;
