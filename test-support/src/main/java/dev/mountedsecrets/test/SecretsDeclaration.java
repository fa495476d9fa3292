package dev.mountedsecrets.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.RepeatableContainers;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The secrets a test class declares with {@link TestSecret}, merged from the class, its
 * superclasses and interfaces, its enclosing classes (unless {@code @NestedTestConfiguration}
 * says OVERRIDE) and the annotations they carry; the closest declaration of a name wins.
 * Two declarations are equal when they name the same files with the same sources, so that
 * they share a cached context; random values are not part of the identity.
 *
 * @param secrets the declared files, in declaration order
 */
record SecretsDeclaration(List<Declared> secrets) {

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	SecretsDeclaration {
		secrets = List.copyOf(secrets);
	}

	/**
	 * The secrets a test class declares.
	 * @param testClass the test class
	 * @return its declaration, or {@code null} if it declares none
	 */
	static @Nullable SecretsDeclaration of(Class<?> testClass) {
		Map<String, Declared> byName = new LinkedHashMap<>();
		for (Class<?> type = testClass; type != null; type = TestContextAnnotationUtils.searchEnclosingClass(type)
				? type.getEnclosingClass() : null) {
			MergedAnnotations.from(type, SearchStrategy.TYPE_HIERARCHY, RepeatableContainers.standardRepeatables())
				.stream(TestSecret.class)
				.map((annotation) -> Declared.of(annotation.synthesize(), testClass))
				.forEach((declared) -> byName.putIfAbsent(declared.name(), declared));
		}
		return byName.isEmpty() ? null : new SecretsDeclaration(new ArrayList<>(byName.values()));
	}

	/**
	 * The content of each file: the given values, the resources' bytes, and new random values.
	 * @return the bytes of each file, by name
	 */
	Map<String, byte[]> generate() {
		Map<String, byte[]> contents = new LinkedHashMap<>();
		for (Declared declared : this.secrets) {
			contents.put(declared.name(), declared.content());
		}
		return contents;
	}

	/**
	 * One declared file.
	 *
	 * @param name the file name
	 * @param value the given value, or empty
	 * @param random the length of a random value, or 0
	 * @param resource the resource location, or empty
	 */
	record Declared(String name, String value, int random, String resource) {

		static Declared of(TestSecret annotation, Class<?> testClass) {
			String name = annotation.name();
			String where = "@TestSecret(name = \"" + name + "\") on " + testClass.getName();
			if (name.isBlank() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
				throw new IllegalStateException(where + ": the name must be a plain file name that does not start"
						+ " with '.', such as db_password_server");
			}
			int sources = (annotation.value().isEmpty() ? 0 : 1) + (annotation.random() == 0 ? 0 : 1)
					+ (annotation.resource().isEmpty() ? 0 : 1);
			if (sources != 1) {
				throw new IllegalStateException(where + ": give exactly one of value, random and resource");
			}
			if (annotation.random() < 0) {
				throw new IllegalStateException(where + ": random is a length and cannot be negative");
			}
			return new Declared(name, annotation.value(), annotation.random(), annotation.resource());
		}

		byte[] content() {
			if (this.random > 0) {
				StringBuilder value = new StringBuilder(this.random);
				for (int i = 0; i < this.random; i++) {
					value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
				}
				return value.toString().getBytes(StandardCharsets.UTF_8);
			}
			if (!this.resource.isEmpty()) {
				Resource resource = new DefaultResourceLoader().getResource(this.resource);
				try (InputStream in = resource.getInputStream()) {
					return in.readAllBytes();
				}
				catch (IOException ex) {
					throw new UncheckedIOException("@TestSecret(name = \"" + this.name + "\"): cannot read "
							+ this.resource, ex);
				}
			}
			return this.value.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			String source = (this.random > 0) ? "random=" + this.random
					: (!this.resource.isEmpty()) ? "resource=" + this.resource : "value=<redacted>";
			return this.name + "(" + source + ")";
		}

	}

	/**
	 * The names of the declared files.
	 * @return the names, in declaration order
	 */
	Set<String> names() {
		Set<String> names = new LinkedHashSet<>();
		this.secrets.forEach((declared) -> names.add(declared.name()));
		return names;
	}

}
