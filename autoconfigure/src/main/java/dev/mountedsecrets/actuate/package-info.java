/**
 * Observing secrets without showing them: the {@code secrets} endpoint, the health indicator,
 * masking in {@code /env} and {@code /configprops}, and metrics.
 */
@NullMarked
package dev.mountedsecrets.actuate;

import org.jspecify.annotations.NullMarked;
