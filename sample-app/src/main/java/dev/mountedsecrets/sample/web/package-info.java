/**
 * HTTP API, security (tokens signed with token_secret_key, Google login), Redis and mail.
 */
@NullMarked
package dev.mountedsecrets.sample.web;

import org.jspecify.annotations.NullMarked;
