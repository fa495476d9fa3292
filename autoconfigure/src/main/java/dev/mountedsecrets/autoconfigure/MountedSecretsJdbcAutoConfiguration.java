package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.SecretsProperties;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.mountedsecrets.jdbc.DataSourceRoleCheck;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Checks the application's PostgreSQL DataSource before its first use: its login, and that
 * its role cannot escape row-level security ({@code secrets.datasource.least-privilege}).
 * Boot 4's; Boot 3.5's is in {@code MountedSecretsBoot3AutoConfiguration}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({ DataSource.class, DataSourceAutoConfiguration.class })
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnBooleanProperty(name = "secrets.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SecretsProperties.class)
public final class MountedSecretsJdbcAutoConfiguration {

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			MountedSecretsJdbcAutoConfiguration.class.getClassLoader());

	/**
	 * Checks the application's DataSource as soon as it is initialised, before any bean that
	 * uses it exists. Static, and with nothing but lazy dependencies, as a bean post-processor
	 * must be.
	 */
	@Bean
	static DataSourceRoleCheck mountedSecretsDataSourceRoleCheck(
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		return new DataSourceRoleCheck((dataSource) -> jdbcUrl(dataSource, connectionDetails.getIfAvailable()));
	}

	/**
	 * The URL of a Hikari pool, for Boot 3.5's glue as well.
	 * @param dataSource the application's DataSource
	 * @return the URL, {@code null} if the DataSource is not a Hikari pool
	 */
	static @Nullable String hikariUrl(DataSource dataSource) {
		return HIKARI_PRESENT ? HikariUrl.of(dataSource) : null;
	}

	private static @Nullable String jdbcUrl(DataSource dataSource, @Nullable JdbcConnectionDetails connectionDetails) {
		String url = hikariUrl(dataSource);
		if (url == null && connectionDetails != null) {
			url = connectionDetails.getJdbcUrl();
		}
		return url;
	}

	/**
	 * Reads the URL of a Hikari pool; a class of its own so that Hikari stays optional.
	 */
	private static final class HikariUrl {

		static @Nullable String of(DataSource dataSource) {
			HikariDataSource hikari = DataSourceUnwrapper.unwrap(dataSource, HikariDataSource.class);
			return (hikari != null) ? hikari.getJdbcUrl() : null;
		}

	}

}
