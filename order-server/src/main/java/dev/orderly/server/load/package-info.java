/**
 * The load tool ({@code order-server.jar load ...}): drives Orderly's HTTP API with a non-blocking
 * client and checks that every order it created completed exactly once. JDK only.
 */
package dev.orderly.server.load;
