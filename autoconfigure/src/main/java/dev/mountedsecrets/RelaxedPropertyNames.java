package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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

	/** {@code --name=} or {@code -Dname=} at the start of an argument. */
	private static final Pattern COMMAND_LINE_SETTING = Pattern.compile("(?:^|\\s)[\"']?(?:--|-D)([^\\s=\"']+)=");

	private final Set<String> served;

	/** Whether a served name has a length, by length. */
	private final boolean[] lengths;

	RelaxedPropertyNames(Collection<String> served) {
		this.served = served.stream().map(RelaxedPropertyNames::canonical).collect(Collectors.toUnmodifiableSet());
		this.lengths = new boolean[this.served.stream().mapToInt(String::length).max().orElse(0) + 1];
		this.served.forEach((name) -> this.lengths[name.length()] = true);
	}

	/**
	 * Whether a name binds to a served property, {@code secrets.file.*}, or a part of one.
	 * @param property the name, in any form Boot binds
	 * @return whether it does
	 */
	boolean serves(String property) {
		String name = canonical(property);
		if (name.startsWith(FILE_PREFIX) || this.served.contains(name)) {
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

	/** A name lower-cased and without dashes, as Boot compares the elements of names. */
	static String canonical(String name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c == '-' || Character.isUpperCase(c)) {
				StringBuilder canonical = new StringBuilder(name.length());
				for (int j = 0; j < name.length(); j++) {
					char d = name.charAt(j);
					if (d != '-') {
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
	 * The names a JSON document sets as {@code SPRING_APPLICATION_JSON} does: its keys, nested
	 * keys joined with dots.
	 * @param text the text
	 * @return the names, empty if the text is no JSON object
	 */
	static List<String> setIn(String text) {
		String trimmed = text.trim();
		if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
			return List.of();
		}
		try {
			List<String> names = new ArrayList<>();
			flatten("", JsonParserFactory.getJsonParser().parseMap(trimmed), names);
			return names;
		}
		catch (RuntimeException ex) {
			return List.of();
		}
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
