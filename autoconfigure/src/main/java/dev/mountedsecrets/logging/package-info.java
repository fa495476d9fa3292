/**
 * Logging without secrets: every served secret is masked in what each appender writes, with
 * Logback (each appender's encoder) and with Log4j2 (each appender's layout), whatever the
 * field, format, level decision or filter, and through every reconfiguration; and in the
 * standard streams while Spring Boot sets logging up.
 */
@NullMarked
package dev.mountedsecrets.logging;

import org.jspecify.annotations.NullMarked;
