/**
 * Sample application: every secret file wired through mounted-secrets.
 */
@NullMarked
package dev.mountedsecrets.sample;

import org.jspecify.annotations.NullMarked;
