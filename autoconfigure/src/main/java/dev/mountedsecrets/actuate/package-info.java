/**
 * Observing secrets without showing them: the {@code secrets} endpoint, the health indicator,
 * masking by meaning in {@code /env} and {@code /configprops}, masking of the result of every
 * actuator operation before any writer sees it, and metrics.
 */
@NullMarked
package dev.mountedsecrets.actuate;

import org.jspecify.annotations.NullMarked;
