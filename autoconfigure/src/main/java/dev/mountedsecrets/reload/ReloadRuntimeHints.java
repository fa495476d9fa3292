package dev.mountedsecrets.reload;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Hints for a native image: after a rotation, {@link RotatingClientRegistrations} binds
 * Boot's OAuth2 client properties again with a {@code Binder}. Named by class name, for
 * either package Boot has used, and only when the OAuth2 client is on the classpath.
 */
class ReloadRuntimeHints implements RuntimeHintsRegistrar {

	static final List<String> OAUTH2_CLIENT_PROPERTIES = List.of(
			"org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties",
			"org.springframework.boot.autoconfigure.security.oauth2.client.OAuth2ClientProperties");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String name : OAUTH2_CLIENT_PROPERTIES) {
			if (ClassUtils.isPresent(name, classLoader)) {
				BindableRuntimeHintsRegistrar.forTypes(ClassUtils.resolveClassName(name, classLoader))
					.registerHints(hints, classLoader);
			}
		}
	}

}
