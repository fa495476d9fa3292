package dev.mountedsecrets;

import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Passwords inside URLs and connection strings: the user info of {@code scheme://user:pw@host}
 * (any user info for Redis, whose {@code redis://pw@host} is a password), and a password
 * parameter ({@code ?password=}, {@code &pwd=}, {@code ;password=} in JDBC's and R2DBC's
 * forms), Oracle's {@code user/password@} and a {@code password=} key in MySQL's
 * {@code (host=...,password=...)} and {@code address=(...)(password=...)} hosts. Judges the text only; never keeps or returns any part of it.
 */
final class UrlCredentials {

	/** {@code scheme://user:password@}: a password in the user info up to the first '@'. */
	private static final Pattern USER_INFO = Pattern.compile(
			"(?i)^\\s*(?:jdbc:|r2dbc:)?(?:[a-z][a-z0-9+.\\-]{0,30}:){0,3}[a-z][a-z0-9+.\\-]{0,30}://[^/?#@\\s:]*:[^/?#@\\s]+@.*",
			Pattern.DOTALL);

	/** Redis reads {@code redis://password@host} as a password. */
	private static final Pattern REDIS_USER_INFO = Pattern.compile("(?i)^\\s*rediss?(?:-sentinel)?://(?:[^/?#@\\s:]*:)?[^/?#@\\s:]+@.*",
			Pattern.DOTALL);

	private static final Pattern PASSWORD_PARAMETER = Pattern.compile(
			"(?i)^\\s*(?:jdbc:|r2dbc:|[a-z][a-z0-9+.\\-]{0,30}://)[^?;]*[?;].*(?<=[?&;])(?:password|passwd|pwd|pass|sslpassword|secret|client_secret)=[^&;\\s]+.*",
			Pattern.DOTALL);

	/** Oracle's {@code jdbc:oracle:thin:user/password@host}. */
	private static final Pattern ORACLE_USER_INFO = Pattern.compile("(?i)^\\s*jdbc:oracle:[a-z0-9]+:[^@/\\s]+/[^@\\s]+@.*",
			Pattern.DOTALL);

	/** A password key in a host given as keys and values: MySQL's {@code (host=db,password=...)}. */
	private static final Pattern KEY_VALUE_PASSWORD = Pattern.compile(
			"(?i)^\\s*jdbc:[a-z0-9]+:[^?;]*\\(\\s*(?:[^()]*,\\s*)?(?:password|pwd)\\s*=\\s*[^)(,\\s]+.*", Pattern.DOTALL);

	/** A placeholder, resolved later: the indirection to a secret file, not a password. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

	/** A consumer's URL setting, and the password setting its URL's password takes the place of. */
	private static final Map<String, String> URL_PASSWORDS = Map.of("spring.data.redis.url",
			"spring.data.redis.password", "spring.datasource.url", "spring.datasource.password", "spring.r2dbc.url",
			"spring.r2dbc.password", "spring.flyway.url", "spring.flyway.password", "spring.liquibase.url",
			"spring.liquibase.password");

	private UrlCredentials() {
	}

	/**
	 * Whether a value is a URL or connection string that carries a password.
	 * @param value any property value
	 * @return whether it holds a password in its user info or a password parameter
	 */
	static boolean carryPassword(@Nullable Object value) {
		if (!(value instanceof CharSequence text) || text.length() > 8192) {
			return false;
		}
		String url = PLACEHOLDER.matcher(text).replaceAll("");
		if (!url.contains("://") && !url.regionMatches(true, 0, "jdbc:", 0, 5)
				&& !url.regionMatches(true, 0, "r2dbc:", 0, 6)) {
			return false;
		}
		try {
			return USER_INFO.matcher(url).matches() || REDIS_USER_INFO.matcher(url).matches()
					|| PASSWORD_PARAMETER.matcher(url).matches() || ORACLE_USER_INFO.matcher(url).matches()
					|| KEY_VALUE_PASSWORD.matcher(url).matches();
		}
		catch (StackOverflowError ex) {
			// a pathological value: not judged rather than failing the start-up
			return false;
		}
	}

	/**
	 * The password setting that a URL setting's password takes the place of: Spring Boot and
	 * the drivers use the URL's password first.
	 * @param key a property name reduced so that its relaxed forms compare equal
	 * @return the password setting, or {@code null} if the setting is no consumer's URL
	 */
	static @Nullable String passwordReplacedBy(String key) {
		for (Map.Entry<String, String> entry : URL_PASSWORDS.entrySet()) {
			if (SecretsOutsideFiles.key(entry.getKey()).equals(key)) {
				return entry.getValue();
			}
		}
		return null;
	}

}
