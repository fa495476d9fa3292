package dev.mountedsecrets.autoconfigure;

import java.util.Collection;
import java.util.function.Supplier;

import dev.mountedsecrets.reload.RotatingClientRegistrations;
import dev.mountedsecrets.reload.RotationHandOver;
import dev.mountedsecrets.reload.SecretsRotatedEvent;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;

/**
 * The OAuth2 rotation beans, the same in every Boot generation; only how registrations are
 * built from the properties differs, and each generation's configuration hands that in.
 */
final class ClientRegistrationsRotation {

	private ClientRegistrationsRotation() {
	}

	static BeanPostProcessor wrapper(Supplier<Collection<ClientRegistration>> fromProperties) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof InMemoryClientRegistrationRepository registrations)
						? new RotatingClientRegistrations(registrations, fromProperties) : bean;
			}

		};
	}

	static ApplicationListener<SecretsRotatedEvent> refresher(ObjectProvider<ClientRegistrationRepository> registrations) {
		return new Refresher(registrations);
	}

	/** Rebuilds the rotating registrations, ahead of the application's listeners. */
	private record Refresher(ObjectProvider<ClientRegistrationRepository> registrations)
			implements ApplicationListener<SecretsRotatedEvent>, Ordered {

		@Override
		public void onApplicationEvent(SecretsRotatedEvent event) {
			this.registrations.ifAvailable((repository) -> {
				if (repository instanceof RotatingClientRegistrations rotating) {
					rotating.refresh(event);
				}
			});
		}

		@Override
		public int getOrder() {
			return RotationHandOver.ORDER;
		}

	}

}
