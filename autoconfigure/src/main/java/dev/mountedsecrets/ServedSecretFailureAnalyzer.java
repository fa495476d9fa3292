package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Runs before every other failure analyzer: when a start-up failure's message chain shows a
 * secret the process served (a secret bound to an {@code int} property, an invalid URL built
 * with {@code ${secrets.file.redis_password}}), reports it with the secret replaced by
 * {@value ServedSecrets#MASK}, still naming the property, the secret file and the fix. The
 * analysis' cause is the failure with every message masked, so that no reporter prints the
 * original.
 */
class ServedSecretFailureAnalyzer implements FailureAnalyzer, Ordered {

	private final @Nullable Environment environment;

	/**
	 * An analyzer for an application's failures.
	 * @param environment the application's environment; {@code null} when the failure came
	 * before its context existed (in the set-up of logging, for one)
	 */
	ServedSecretFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		ServedSecrets served = servedSecrets();
		if (served == null) {
			return null;
		}
		List<Throwable> chain = chain(failure);
		String text = String.join("\n", chain.stream().map(String::valueOf).toList());
		BindException bind = find(chain, BindException.class);
		ConfigurationProperty property = (bind != null) ? bind.getProperty() : null;
		boolean boundSecret = property != null && served.shows(property.getValue());
		if (!boundSecret && !served.shows(text)) {
			return null;
		}
		List<SecretFile> files = filesShownIn(text + ((property != null) ? "\n" + property.getValue() : ""));
		StringBuilder description = new StringBuilder();
		if (bind != null) {
			description.append("Failed to bind properties under '")
				.append(bind.getName())
				.append("' to ")
				.append(bind.getTarget().getType())
				.append(":\n");
			if (property != null) {
				description.append("\n    Property: ").append(property.getName());
				description.append("\n    Value: \"").append(ServedSecrets.MASK).append("\" (a secret)");
				description.append("\n    Origin: ").append(property.getOrigin());
			}
			Throwable reason = (bind.getCause() != null) ? bind.getCause() : bind;
			description.append("\n    Reason: ").append(served.mask(String.valueOf(reason.getMessage())));
		}
		else {
			description.append("Start-up failed with an error that contains a secret; every secret is shown as ")
				.append(ServedSecrets.MASK)
				.append(":\n");
			for (Throwable cause : chain) {
				description.append("\n    ").append(served.mask(String.valueOf(cause)));
			}
		}
		description.append("\n\nThe secret comes from ").append(describe(files)).append('.');
		String action = "Check the properties that use " + describe(files) + ": a secret used where a number, a duration"
				+ " or a URL is expected fails like this. Set the secret in the property made for it (for example"
				+ " spring.data.redis.password rather than a URL), or fix the secret file's content (URL-safe"
				+ " characters when it must go into a URL).";
		return new FailureAnalysis(description.toString(), action, MaskedFailure.of(failure, served));
	}

	/**
	 * The registry of the environment; without one (no context yet), every registry of the
	 * process, so that a failure in the set-up of logging is masked too.
	 */
	private @Nullable ServedSecrets servedSecrets() {
		if (this.environment != null) {
			return ServedSecrets.in(this.environment);
		}
		List<ServedSecrets> inUse = ServedSecrets.inUse();
		if (inUse.isEmpty()) {
			return null;
		}
		if (inUse.size() == 1) {
			return inUse.get(0);
		}
		ServedSecrets all = new ServedSecrets();
		inUse.forEach(all::adopt);
		return all;
	}

	private List<SecretFile> filesShownIn(String text) {
		List<SecretFile> files = new ArrayList<>();
		if (this.environment instanceof ConfigurableEnvironment configurable) {
			PropertySource<?> source = configurable.getPropertySources().get(SecretsPropertySource.NAME);
			if (source instanceof SecretsPropertySource secrets) {
				for (SecretFile secret : secrets.getSource().secrets().values()) {
					ServedSecrets one = new ServedSecrets();
					one.record(List.of(secret.value()));
					if (one.shows(text)) {
						files.add(secret);
					}
				}
			}
		}
		return files;
	}

	private static String describe(List<SecretFile> files) {
		if (files.isEmpty()) {
			return "a secret file (a value served before a rotation, or an X_FILE variable)";
		}
		Set<String> described = new LinkedHashSet<>();
		files.forEach((file) -> described.add(file.path() + " (secrets.file." + file.name() + ")"));
		return String.join(", ", described);
	}

	private static List<Throwable> chain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		collect(failure, chain, seen);
		return chain;
	}

	private static void collect(@Nullable Throwable failure, List<Throwable> chain, Set<Throwable> seen) {
		if (failure == null || !seen.add(failure)) {
			return;
		}
		chain.add(failure);
		for (Throwable suppressed : failure.getSuppressed()) {
			collect(suppressed, chain, seen);
		}
		collect(failure.getCause(), chain, seen);
	}

	private static <E extends Throwable> @Nullable E find(List<Throwable> chain, Class<E> type) {
		for (Throwable failure : chain) {
			if (type.isInstance(failure)) {
				return type.cast(failure);
			}
		}
		return null;
	}

}
