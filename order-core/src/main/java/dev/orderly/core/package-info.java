/**
 * Orderly's front door: {@link dev.orderly.core.OrderEngine} for nodes that process orders, {@link
 * dev.orderly.core.OrderClient} for nodes that only accept them.
 */
package dev.orderly.core;
