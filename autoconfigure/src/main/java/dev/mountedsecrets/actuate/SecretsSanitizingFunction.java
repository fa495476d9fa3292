package dev.mountedsecrets.actuate;

import java.util.Objects;

import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.core.env.PropertySource;

/**
 * Masks, in {@code /actuator/env}, {@code /actuator/configprops} and every endpoint that uses
 * Boot's sanitizer, even with {@code show-values=always}:
 * <ul>
 * <li>every value that comes from a secret file;</li>
 * <li>every property the starter serves, wherever its value comes from now (a command-line
 * {@code --spring.datasource.password=...} override);</li>
 * <li>every value, of any type, that shows a secret the process has served, now or before a
 * rotation, or that contains one;</li>
 * <li>every property whose value in the environment resolves to such a value (a secret bound
 * into an {@code int});</li>
 * <li>command lines that set a served property ({@code sun.java.command}).</li>
 * </ul>
 */
public class SecretsSanitizingFunction implements SanitizingFunction {

	private final MountedSecrets secrets;

	public SecretsSanitizingFunction(MountedSecrets secrets) {
		this.secrets = secrets;
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		Object value = data.getValue();
		if (value == null) {
			return data;
		}
		if (MountedSecrets.isSecretsSource(data.getPropertySource()) || this.secrets.servesProperty(data.getKey())
				|| this.secrets.isSecretValue(value) || this.secrets.setsServedProperty(value)
				|| (!isOwnValueOfItsSource(data) && this.secrets.resolvesToSecret(data.getKey()))) {
			return data.withSanitizedValue();
		}
		return data;
	}

	/**
	 * Whether the value to show is the property's own value, without placeholders, in the
	 * source it is described from (most of {@code /actuator/env}): then the value itself,
	 * checked above, is all there is to check, and asking the environment for the property
	 * (the costly part of a sanitizer call) would find nothing more. A bound value that differs
	 * from its source (a {@code Duration}, a value a setter changed) is still resolved.
	 */
	private static boolean isOwnValueOfItsSource(SanitizableData data) {
		PropertySource<?> source = data.getPropertySource();
		if (source == null) {
			return false;
		}
		try {
			Object own = source.getProperty(data.getKey());
			return Objects.equals(own, data.getValue()) && !(own instanceof CharSequence text && text.toString().contains("${"));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
