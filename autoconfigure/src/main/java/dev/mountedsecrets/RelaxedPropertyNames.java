package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParserFactory;

/**
 * Property names as Boot binds them: {@code spring.datasource.pass-word} and
 * {@code spring.dataSource.password} set {@code spring.datasource.password} (Boot ignores case
 * and dashes in a name's elements), and {@code spring.datasource.password[0]} or {@code .x} a
 * part of it. Used to tell whether a name, a command line or a {@code SPRING_APPLICATION_JSON}
 * document sets a served property. A name is compared in that canonical form, and only at the
 * lengths of a served name, so that looking at every property of {@code /env} costs little.
 */
final class RelaxedPropertyNames {

	private static final String FILE_PREFIX = SecretMappings.FILE_PROPERTY_PREFIX;

	private static final String CANONICAL_FILE_PREFIX = canonical(FILE_PREFIX);

	/** {@code --name=} or {@code -Dname=} at the start of an argument. */
	private static final Pattern COMMAND_LINE_SETTING = Pattern.compile("(?:^|\\s)[\"']?(?:--|-D)([^\\s=\"']+)=");

	private final Set<String> served;

	/** The served names without dots either, as environment variables name them. */
	private final Set<String> flat;

	/** Whether a served name has a length, by length. */
	private final boolean[] lengths;

	RelaxedPropertyNames(Collection<String> served) {
		this.served = served.stream().map(RelaxedPropertyNames::canonical).collect(Collectors.toUnmodifiableSet());
		this.flat = this.served.stream().map((name) -> name.replace(".", "")).collect(Collectors.toUnmodifiableSet());
		this.lengths = new boolean[this.served.stream().mapToInt(String::length).max().orElse(0) + 1];
		this.served.forEach((name) -> this.lengths[name.length()] = true);
	}

	/**
	 * Whether a name binds to a served property, {@code secrets.file.*}, or a part of one.
	 * @param property the name, in any form Boot binds
	 * @return whether it does
	 */
	boolean serves(String property) {
		if (property.indexOf('.') < 0 && property.indexOf('_') > 0) {
			// an environment variable's name (SPRING_DATASOURCE_PASSWORD, MY_APP_DB_PASSWORD for
			// my-app.db-password): the whole name, as Boot maps it, without its separators
			String flat = property.replace("_", "").toLowerCase(Locale.ROOT);
			if (property.toLowerCase(Locale.ROOT).startsWith("secrets_file_") || this.flat.contains(flat)) {
				return true;
			}
		}
		return servesCanonical(canonical(property));
	}

	private boolean servesCanonical(String name) {
		if (name.startsWith(CANONICAL_FILE_PREFIX) || this.served.contains(name)) {
			return true;
		}
		for (int i = 1; i < name.length() && i < this.lengths.length; i++) {
			char c = name.charAt(i);
			if ((c == '.' || c == '[') && this.lengths[i] && this.served.contains(name.substring(0, i))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A name lower-cased and without dashes and underscores, as Boot compares the elements of
	 * names.
	 */
	static String canonical(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '-' || c == '_' || Character.isUpperCase(c)) {
				StringBuilder canonical = new StringBuilder(name.length());
				for (int j = 0; j < name.length(); j++) {
					char d = name.charAt(j);
					if (d != '-' && d != '_') {
						canonical.append(Character.toLowerCase(d));
					}
				}
				return canonical.toString();
			}
		}
		return name;
	}

	/**
	 * The names a command line sets ({@code --name=value}, {@code -Dname=value}).
	 * @param commandLine the command line
	 * @return the names
	 */
	static List<String> setOn(String commandLine) {
		List<String> names = new ArrayList<>();
		Matcher matcher = COMMAND_LINE_SETTING.matcher(commandLine);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	/**
	 * The names the JSON objects in a text set as {@code SPRING_APPLICATION_JSON} does: their
	 * keys, nested keys joined with dots. The text may be the document itself, or a command line
	 * that passes it ({@code --spring.application.json=\u007B...\u007D}).
	 * @param text the text
	 * @return the names, empty if the text holds no JSON object
	 */
	static List<String> setIn(String text) {
		List<String> names = new ArrayList<>();
		if (text.indexOf('"') < 0) {
			// a JSON object names its keys in double quotes: no parser for ${a:b} or %d{...}
			return names;
		}
		for (int start = text.indexOf("{\""); start >= 0; start = text.indexOf("{\"", start + 1)) {
			int end = endOfObject(text, start);
			if (end < 0) {
				break;
			}
			try {
				flatten("", JsonParserFactory.getJsonParser().parseMap(text.substring(start, end + 1)), names);
				start = end;
			}
			catch (RuntimeException ex) {
				// not JSON: look at the next object
			}
		}
		return names;
	}

	/** Where the object opened at a brace ends, quoted strings skipped; -1 if it does not. */
	private static int endOfObject(String text, int start) {
		int depth = 0;
		boolean quoted = false;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '\\') {
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == '{') {
				depth++;
			}
			else if (c == '}' && --depth == 0) {
				return i;
			}
		}
		return -1;
	}

	private static void flatten(String prefix, @Nullable Object value, List<String> names) {
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, nested) -> flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, nested,
					names));
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				flatten(prefix + "[" + i + "]", list.get(i), names);
			}
		}
		else if (!prefix.isEmpty()) {
			names.add(prefix);
		}
	}

}
