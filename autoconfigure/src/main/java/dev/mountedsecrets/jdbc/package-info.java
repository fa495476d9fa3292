/**
 * Checks of the application's DataSource: the role it logs in as, and the login itself.
 */
@NullMarked
package dev.mountedsecrets.jdbc;

import org.jspecify.annotations.NullMarked;
