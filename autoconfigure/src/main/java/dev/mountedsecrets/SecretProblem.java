package dev.mountedsecrets;

import java.util.List;

/**
 * Why one secret cannot be used: the file, the properties it feeds, the rule it breaks and
 * what the operator should do. Never holds any part of the value. Control characters and
 * invisible formatting characters in any part (a file name with a newline, or with a
 * right-to-left override) are shown escaped, so that no log line can be forged or misread.
 *
 * @param file the file, or the environment variable and its file, that is at fault
 * @param name the secret's name
 * @param properties the properties the secret feeds, possibly none
 * @param rule the fact that makes the secret unusable
 * @param action what to do about it
 */
public record SecretProblem(String file, String name, List<String> properties, String rule, String action) {

	public SecretProblem {
		file = escape(file);
		name = escape(name);
		properties = properties.stream().map(SecretProblem::escape).toList();
		rule = escape(rule);
		action = escape(action);
	}

	/**
	 * Whether a text holds a control character (C0, DEL, C1, a Unicode line or paragraph
	 * separator) or an invisible formatting character ({@link #hasInvisibleFormatCharacters}).
	 * @param text any text
	 * @return whether it would need escaping to be logged safely
	 */
	public static boolean hasControlCharacters(String text) {
		return text.chars().anyMatch(SecretProblem::needsEscape);
	}

	/**
	 * Whether a text holds an invisible formatting character (Unicode category Cf): a
	 * bidirectional override or isolate such as U+202E, which makes a name read differently
	 * than it is, a zero-width space or joiner, a byte order mark, a soft hyphen.
	 * @param text any text
	 * @return whether it holds such a character
	 */
	public static boolean hasInvisibleFormatCharacters(String text) {
		return text.chars().anyMatch(SecretProblem::isInvisibleFormat);
	}

	/**
	 * A text with every control character written as an escape: backslash-n, backslash-r,
	 * backslash-t, or backslash-u and four hex digits.
	 * @param text any text
	 * @return the text, safe to log on one line
	 */
	public static String escape(String text) {
		if (!hasControlCharacters(text)) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 8);
		text.chars().forEach((c) -> {
			switch (c) {
				case '\n' -> escaped.append("\\n");
				case '\r' -> escaped.append("\\r");
				case '\t' -> escaped.append("\\t");
				default -> {
					if (needsEscape(c)) {
						escaped.append(String.format("\\u%04x", c));
					}
					else {
						escaped.append((char) c);
					}
				}
			}
		});
		return escaped.toString();
	}

	private static boolean needsEscape(int c) {
		return isControl(c) || isInvisibleFormat(c);
	}

	private static boolean isControl(int c) {
		return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
	}

	private static boolean isInvisibleFormat(int c) {
		return Character.getType(c) == Character.FORMAT;
	}

	/**
	 * The same problem, stating the properties the secret feeds.
	 * @param properties the properties fed by the secret
	 * @return a new problem
	 */
	public SecretProblem feeding(List<String> properties) {
		return new SecretProblem(this.file, this.name, properties, this.rule, this.action);
	}

	/**
	 * One line that names the file, the properties and the rule.
	 * @return the description of this problem
	 */
	public String describe() {
		String feeds = this.properties.isEmpty() ? "" : " (feeds " + String.join(", ", this.properties) + ")";
		return this.file + feeds + ": " + this.rule;
	}

}
