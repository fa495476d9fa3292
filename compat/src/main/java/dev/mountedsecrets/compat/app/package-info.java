/**
 * The application the compatibility suite runs on each Boot generation.
 */
package dev.mountedsecrets.compat.app;
