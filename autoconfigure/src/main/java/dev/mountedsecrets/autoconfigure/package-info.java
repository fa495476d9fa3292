/**
 * Auto-configurations that wire secret files into Spring Boot's own beans.
 */
@NullMarked
package dev.mountedsecrets.autoconfigure;

import org.jspecify.annotations.NullMarked;
