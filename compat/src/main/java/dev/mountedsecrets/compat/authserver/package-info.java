/**
 * The authorization server the OAuth2 client of the compatibility suite talks to.
 */
package dev.mountedsecrets.compat.authserver;
