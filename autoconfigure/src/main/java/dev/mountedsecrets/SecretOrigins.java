package dev.mountedsecrets;

import java.util.Optional;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Tells which secret file, if any, the value of a property comes from, for messages that
 * point the operator at the right file.
 */
public final class SecretOrigins {

	private SecretOrigins() {
	}

	/**
	 * The secret that provides a property's value, if a secret file does.
	 * @param environment the environment
	 * @param property the property name, in its canonical form
	 * @return the secret, empty when the value comes from elsewhere or is not set
	 */
	public static Optional<SecretFile> secretFeeding(ConfigurableEnvironment environment, String property) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					|| !source.containsProperty(property)) {
				continue;
			}
			if (source instanceof SecretsPropertySource secrets) {
				return Optional.ofNullable(secrets.secretFor(property));
			}
			if (source instanceof FileVariablesPropertySource fileVariables) {
				return Optional.ofNullable(fileVariables.secretFor(property));
			}
			return Optional.empty();
		}
		return Optional.empty();
	}

	/**
	 * Where a property's value comes from, in words, for a message.
	 * @param environment the environment
	 * @param property the property name, in its canonical form
	 * @return for example "spring.datasource.password from /run/secrets/db_password_server"
	 */
	public static String describe(ConfigurableEnvironment environment, String property) {
		return property + secretFeeding(environment, property).map((secret) -> " from " + secret.path())
			.orElse(" (not from a secret file)");
	}

}
