package dev.mountedsecrets.autoconfigure;

import javax.sql.DataSource;

import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.jdbc.DataSourceRoleCheck;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Checks the application's DataSource before its first use: its login, and that the login is
 * not privileged ({@code secrets.datasource.least-privilege}) on PostgreSQL, MariaDB and
 * MySQL. Boot 4's; Boot 3.5's is in {@code MountedSecretsBoot3AutoConfiguration}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, DataSourceAutoConfiguration.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecretsProperties.class)
public final class MountedSecretsJdbcAutoConfiguration {

	/**
	 * Checks the application's DataSource as soon as it is initialised, before any bean that
	 * uses it exists. Static, and with no dependencies, as a bean post-processor must be.
	 */
	@Bean
	static DataSourceRoleCheck mountedSecretsDataSourceRoleCheck() {
		return new DataSourceRoleCheck();
	}

}
