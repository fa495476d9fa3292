package dev.mountedsecrets.reload;

import java.util.Set;

import org.springframework.context.ApplicationEvent;

/**
 * Published after changed secrets were applied to the environment: the names of the secrets
 * and the properties they feed, never the values.
 */
public class SecretsRotatedEvent extends ApplicationEvent {

	private final Set<String> secrets;

	private final Set<String> properties;

	public SecretsRotatedEvent(Object source, Set<String> secrets, Set<String> properties) {
		super(source);
		this.secrets = Set.copyOf(secrets);
		this.properties = Set.copyOf(properties);
	}

	/**
	 * The names of the secrets that changed.
	 * @return secret names
	 */
	public Set<String> getSecrets() {
		return this.secrets;
	}

	/**
	 * The properties whose value changed.
	 * @return property names
	 */
	public Set<String> getProperties() {
		return this.properties;
	}

	/**
	 * Whether a property under a prefix changed.
	 * @param prefix a property prefix, such as {@code spring.datasource.}
	 * @return whether any changed property starts with it
	 */
	public boolean changed(String prefix) {
		return this.properties.stream().anyMatch((property) -> property.startsWith(prefix));
	}

	@Override
	public String toString() {
		return "SecretsRotatedEvent[secrets=" + this.secrets + "]";
	}

}
