package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;

import org.springframework.util.PropertyPlaceholderHelper;
import org.springframework.util.SystemPropertyUtils;

/**
 * Secret contents served exactly as written: a file holding {@code Lit${HOME}eral} must not
 * be resolved as a placeholder, nor pull in another secret with {@code ${secrets.file.x}}.
 * The environment and the binder resolve placeholders in every string value, so each
 * {@code ${} that would open a placeholder is escaped with Spring's escape character
 * ({@code \}). Whether a {@code ${} opens one depends on the braces after it, so the escape is
 * checked with Spring's own parser: the value served resolves back to the content of the file.
 */
final class VerbatimValues {

	private static final String PREFIX = SystemPropertyUtils.PLACEHOLDER_PREFIX;

	private static final char ESCAPE = '\\';

	private static final int MAX_COMBINATIONS_SEARCHED = 12;

	private static final PropertyPlaceholderHelper PARSER = new PropertyPlaceholderHelper(PREFIX,
			SystemPropertyUtils.PLACEHOLDER_SUFFIX, SystemPropertyUtils.VALUE_SEPARATOR, ESCAPE, true);

	private VerbatimValues() {
	}

	/**
	 * The value to serve for a secret's content, so that placeholder resolution gives the
	 * content back.
	 * @param content the content of the file
	 * @return the value to serve
	 */
	static String escape(String content) {
		List<Integer> openings = new ArrayList<>();
		for (int i = content.indexOf(PREFIX); i >= 0; i = content.indexOf(PREFIX, i + 1)) {
			openings.add(i);
		}
		if (openings.isEmpty()) {
			return content;
		}
		int all = (1 << Math.min(openings.size(), MAX_COMBINATIONS_SEARCHED)) - 1;
		if (openings.size() > MAX_COMBINATIONS_SEARCHED) {
			return withEscapes(content, openings, -1);
		}
		for (int escaped = all; escaped >= 0; escaped--) {
			String candidate = withEscapes(content, openings, escaped);
			if (resolvesTo(candidate, content)) {
				return candidate;
			}
		}
		return withEscapes(content, openings, all);
	}

	private static boolean resolvesTo(String served, String content) {
		try {
			// every placeholder still active resolves to a character no file content has here
			return content.equals(PARSER.replacePlaceholders(served, (name) -> "\u0000" + name));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	private static String withEscapes(String content, List<Integer> openings, int escaped) {
		StringBuilder served = new StringBuilder(content.length() + openings.size());
		int next = 0;
		for (int i = 0; i < content.length(); i++) {
			if (next < openings.size() && openings.get(next) == i) {
				if (escaped == -1 || (escaped & (1 << next)) != 0) {
					served.append(ESCAPE);
				}
				next++;
			}
			served.append(content.charAt(i));
		}
		return served.toString();
	}

}
