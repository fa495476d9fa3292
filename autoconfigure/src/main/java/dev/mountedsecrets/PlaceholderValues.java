package dev.mountedsecrets;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Values copied from setup guides instead of generated: {@code changeme},
 * {@code your-secure-password}, {@code <your-key>}, an unresolved {@code ${...}}.
 */
final class PlaceholderValues {

	private static final Set<String> KNOWN = Set.of("changeme", "change-me", "change_me", "changeit", "password",
			"passw0rd", "secret", "mysecret", "my-secret", "admin", "root", "test", "example", "default", "placeholder",
			"todo", "tbd", "replaceme", "replace-me", "replace_me", "123456", "12345678", "password123", "postgres",
			"redis", "your-secure-password", "your-32-char-min-key", "your-secret-key", "your-password",
			"supersecret", "super-secret");

	private static final Pattern PATTERNS = Pattern.compile(
			"your[-_ ].*|.*change[-_ ]?me.*|.*replace[-_ ]?(me|this).*|<[^>]*>|\\$\\{[^}]*}|\\{\\{[^}]*}}|(.)\\2*",
			Pattern.DOTALL);

	private PlaceholderValues() {
	}

	static boolean matches(String value) {
		String normalized = value.strip().toLowerCase(Locale.ROOT);
		return KNOWN.contains(normalized) || PATTERNS.matcher(normalized).matches();
	}

}
