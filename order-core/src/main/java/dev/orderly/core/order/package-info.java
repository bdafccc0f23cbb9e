/** The order domain: immutable values that own their validation and status rules. */
package dev.orderly.core.order;
