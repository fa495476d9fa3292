package dev.mountedsecrets;

import java.util.List;

import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A part of the pre-flight check beyond the secret files, such as the database logins; run
 * only once the files passed, on the environment as the application would get it. Registered
 * in {@code META-INF/spring.factories} under this interface's name, so that the core knows no
 * consumer technology.
 */
public interface PreflightCheck {

	/**
	 * The check's name in the report, such as {@code database}.
	 * @return the name
	 */
	String name();

	/**
	 * Whether the operator asked for this check.
	 * @param settings the pre-flight settings
	 * @return whether to run it
	 */
	boolean requested(SecretsProperties.Preflight settings);

	/**
	 * Run the check. Opens nothing that outlives the call.
	 * @param environment the environment, with the secrets installed
	 * @return its problems, warnings and passes
	 */
	List<PreflightFinding> run(ConfigurableEnvironment environment);

}
