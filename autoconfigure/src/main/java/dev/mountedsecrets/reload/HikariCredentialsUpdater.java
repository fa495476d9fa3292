package dev.mountedsecrets.reload;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Hands rotated database credentials to HikariCP: user name and password together, through
 * its runtime credentials API, then soft-evicts the pool so that each connection is replaced
 * once it is returned. Connections in use are never interrupted.
 */
public class HikariCredentialsUpdater implements ApplicationListener<SecretsRotatedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(HikariCredentialsUpdater.class);

	private final DataSource dataSource;

	private final Environment environment;

	public HikariCredentialsUpdater(DataSource dataSource, Environment environment) {
		this.dataSource = dataSource;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(SecretsRotatedEvent event) {
		if (event.changed("spring.datasource.")) {
			RotationHandOver.run("the DataSource", event, this::handOver, logger);
		}
	}

	private void handOver() {
		HikariDataSource hikari = DataSourceUnwrapper.unwrap(this.dataSource, HikariDataSource.class);
		if (hikari == null) {
			logger.warn("Database secrets rotated, but the DataSource is not HikariCP: restart to use them");
			return;
		}
		Credentials credentials = Credentials.of(this.environment.getProperty("spring.datasource.username"),
				this.environment.getProperty("spring.datasource.password"));
		hikari.getHikariConfigMXBean().setCredentials(credentials);
		HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
		if (pool != null) {
			pool.softEvictConnections();
		}
		logger.info("DataSource credentials rotated for user '" + credentials.getUsername()
				+ "'; pooled connections are replaced as they are returned");
	}

	@Override
	public int getOrder() {
		return RotationHandOver.ORDER;
	}

}
