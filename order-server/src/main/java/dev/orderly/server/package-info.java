/** The runnable server wiring the HTTP API to the order store (arrives with the server work). */
package dev.orderly.server;
