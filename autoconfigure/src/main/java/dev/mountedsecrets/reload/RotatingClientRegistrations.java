package dev.mountedsecrets.reload;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * The OAuth2 client registrations, rebuilt from {@code spring.security.oauth2.client.*} when
 * a secret they use rotates: the next token request uses the new client secret, and login
 * links keep working throughout.
 * <p>
 * How the registrations are built from the properties is Boot's, and lives in a different
 * package in each Boot generation: the auto-configuration hands it in.
 */
public class RotatingClientRegistrations implements ClientRegistrationRepository, Iterable<ClientRegistration> {

	private static final Log logger = LogFactory.getLog(RotatingClientRegistrations.class);

	/** Prefix of the properties the registrations are built from. */
	public static final String PREFIX = "spring.security.oauth2.client";

	private final Supplier<Collection<ClientRegistration>> fromProperties;

	private volatile InMemoryClientRegistrationRepository registrations;

	/**
	 * Create the repository.
	 * @param initial the registrations Boot built at start-up
	 * @param fromProperties builds the registrations from the environment as it is now
	 */
	public RotatingClientRegistrations(InMemoryClientRegistrationRepository initial,
			Supplier<Collection<ClientRegistration>> fromProperties) {
		this.registrations = initial;
		this.fromProperties = fromProperties;
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
	 * Rebuild the registrations if a rotation changed one of their properties. Registrations
	 * that cannot be built from the new values (Spring Security finds them invalid, an
	 * issuer cannot be reached) leave the ones in use as they are, with a warning.
	 * @param event the rotation
	 */
	public void refresh(SecretsRotatedEvent event) {
		if (event.changed(PREFIX + ".")) {
			RotationHandOver.run("the OAuth2 client registrations", event,
					() -> this.registrations = new InMemoryClientRegistrationRepository(
							List.copyOf(this.fromProperties.get())),
					logger);
		}
	}

	@Override
	public String toString() {
		return "RotatingClientRegistrations";
	}

}
