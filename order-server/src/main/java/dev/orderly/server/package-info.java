/**
 * The runnable server: {@link dev.orderly.server.Main} parses the command line into a {@link
 * dev.orderly.server.ServerConfig}, and {@link dev.orderly.server.OrderlyServer} runs the HTTP API
 * on Grizzly over the chosen store, with an engine and the demo processor, until it is closed.
 */
package dev.orderly.server;
