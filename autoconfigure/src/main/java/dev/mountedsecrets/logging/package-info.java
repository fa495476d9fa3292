/**
 * Logging without secrets: every served secret is masked in each log event written through
 * Logback, whatever the logger and level.
 */
@NullMarked
package dev.mountedsecrets.logging;

import org.jspecify.annotations.NullMarked;
