package dev.mountedsecrets.reload;

import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientPropertiesMapper;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * The OAuth2 client registrations, rebuilt from {@code spring.security.oauth2.client.*} when
 * a secret they use rotates: the next token request uses the new client secret, and login
 * links keep working throughout.
 */
public class RotatingClientRegistrations implements ClientRegistrationRepository, Iterable<ClientRegistration> {

	private static final String PREFIX = "spring.security.oauth2.client";

	private final Environment environment;

	private volatile InMemoryClientRegistrationRepository registrations;

	public RotatingClientRegistrations(InMemoryClientRegistrationRepository initial, Environment environment) {
		this.registrations = initial;
		this.environment = environment;
	}

	@Override
	public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
		return this.registrations.findByRegistrationId(registrationId);
	}

	@Override
	public Iterator<ClientRegistration> iterator() {
		return this.registrations.iterator();
	}

	/**
	 * Rebuild the registrations if a rotation changed one of their properties.
	 * @param event the rotation
	 */
	public void refresh(SecretsRotatedEvent event) {
		if (!event.changed(PREFIX + ".")) {
			return;
		}
		OAuth2ClientProperties properties = Binder.get(this.environment)
			.bindOrCreate(PREFIX, OAuth2ClientProperties.class);
		properties.validate();
		List<ClientRegistration> rebuilt = List
			.copyOf(new OAuth2ClientPropertiesMapper(properties).asClientRegistrations().values());
		this.registrations = new InMemoryClientRegistrationRepository(rebuilt);
	}

	@Override
	public String toString() {
		return "RotatingClientRegistrations";
	}

}
