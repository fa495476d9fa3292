/**
 * Rotation without restart: the folder watcher, and the updaters that hand new credentials to
 * the connection pool, Redis, mail and the OAuth2 client.
 */
@NullMarked
package dev.mountedsecrets.reload;

import org.jspecify.annotations.NullMarked;
