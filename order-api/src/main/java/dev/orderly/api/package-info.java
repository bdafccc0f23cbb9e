/** The HTTP API that takes in and reports on orders (arrives with the HTTP API work). */
package dev.orderly.api;
