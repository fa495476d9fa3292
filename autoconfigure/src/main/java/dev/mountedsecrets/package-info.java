/**
 * Reading a folder of secret files into the Spring environment.
 */
@NullMarked
package dev.mountedsecrets;

import org.jspecify.annotations.NullMarked;
