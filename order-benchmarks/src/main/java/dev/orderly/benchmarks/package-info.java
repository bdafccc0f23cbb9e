/**
 * JMH benchmarks of Orderly's hot paths: the PostgreSQL store, group commit, in-memory dispatch and
 * the API's JSON encoding. Not shipped; run {@code bench/jmh.sh}.
 */
package dev.orderly.benchmarks;
