/**
 * The engine's moving parts: dispatch, workers, leases, measurements. Not API; may change at any
 * time.
 */
package dev.orderly.core.internal;
