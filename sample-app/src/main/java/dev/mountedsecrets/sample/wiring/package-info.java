/**
 * The wiring report: each secret file, what it feeds and a live check of its consumer.
 */
@NullMarked
package dev.mountedsecrets.sample.wiring;

import org.jspecify.annotations.NullMarked;
