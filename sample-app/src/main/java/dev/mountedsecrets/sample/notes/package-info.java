/**
 * Tenant notes: PostgreSQL under row-level security, a field encrypted with crypto_key.
 */
@NullMarked
package dev.mountedsecrets.sample.notes;

import org.jspecify.annotations.NullMarked;
