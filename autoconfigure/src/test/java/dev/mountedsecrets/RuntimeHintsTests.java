package dev.mountedsecrets;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hints for a native image, registered the way AOT processing registers them (every
 * {@code RuntimeHintsRegistrar} of {@code aot.factories}), cover what the starter binds with a
 * {@code Binder} and what is created from {@code spring.factories}.
 */
class RuntimeHintsTests {

	private final RuntimeHints hints = registeredHints();

	@Test
	void hintsWhenRegisteredCoverEverySettingThePostProcessorBinds() throws Exception {
		for (Class<?> type : List.of(SecretsProperties.class, SecretsProperties.FileVariables.class,
				SecretsProperties.Reload.class, SecretsProperties.Datasource.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getDeclaredConstructor()))
				.as(type.getName())
				.accepts(this.hints);
			for (Method accessor : accessors(type)) {
				assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(accessor))
					.as(type.getSimpleName() + "." + accessor.getName())
					.accepts(this.hints);
			}
		}
	}

	@Test
	void hintsWhenRegisteredCoverTheOAuth2SettingsBoundAgainAfterRotation() {
		String name = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties";
		Class<?> type = ClassUtils.resolveClassName(name, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(type)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type, "getRegistration")).accepts(this.hints);
	}

	@Test
	void hintsWhenRegisteredCoverEveryClassCreatedFromSpringFactories() throws Exception {
		List<Class<?>> created = new ArrayList<>();
		ClassLoader classLoader = getClass().getClassLoader();
		for (URL url : Collections.list(classLoader.getResources("META-INF/spring.factories"))) {
			Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
			for (Object names : factories.values()) {
				for (String name : StringUtils.commaDelimitedListToStringArray(names.toString())) {
					if (name.trim().startsWith("dev.mountedsecrets.")) {
						created.add(ClassUtils.resolveClassName(name.trim(), classLoader));
					}
				}
			}
		}
		assertThat(created).hasSizeGreaterThanOrEqualTo(4);
		for (Class<?> type : created) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(this.hints);
			assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring.factories")).accepts(this.hints);
		}
	}

	private static List<Method> accessors(Class<?> type) throws Exception {
		List<Method> methods = new ArrayList<>();
		for (PropertyDescriptor property : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
			if (property.getReadMethod() != null) {
				methods.add(property.getReadMethod());
			}
			if (property.getWriteMethod() != null) {
				methods.add(property.getWriteMethod());
			}
		}
		assertThat(methods).isNotEmpty();
		return methods;
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		ClassLoader classLoader = RuntimeHintsTests.class.getClassLoader();
		AotServices.factories(classLoader)
			.load(RuntimeHintsRegistrar.class)
			.forEach((registrar) -> registrar.registerHints(hints, classLoader));
		return hints;
	}

}
