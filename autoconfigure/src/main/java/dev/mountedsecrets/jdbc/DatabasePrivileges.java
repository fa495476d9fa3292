package dev.mountedsecrets.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How one database tells what the application's login may do, and which of that the
 * least-privilege rules refuse. Chosen by the product name the driver reports, so a URL
 * behind a proxy or wrapper driver is recognised as well.
 */
interface DatabasePrivileges {

	/**
	 * The rules for a database product.
	 * @param productName what {@code DatabaseMetaData.getDatabaseProductName()} says
	 * @return the rules, or {@code null} for a database the check does not know
	 */
	static @Nullable DatabasePrivileges forProduct(@Nullable String productName) {
		if (productName == null) {
			return null;
		}
		if (productName.equals("PostgreSQL")) {
			return new PostgresPrivileges();
		}
		if (productName.equals("MariaDB") || productName.equals("MySQL")) {
			return new MySqlPrivileges(productName);
		}
		return null;
	}

	/**
	 * Read the privileges of the connection's login and judge them. Runs queries only.
	 * @param connection a connection of the application's DataSource
	 * @return what the login breaks, if anything
	 */
	Finding inspect(Connection connection) throws SQLException;

	/**
	 * What the check found.
	 * @param database the database product: {@code PostgreSQL}, {@code MariaDB} or
	 * {@code MySQL}
	 * @param role the login: a PostgreSQL role name, or a MariaDB or MySQL account
	 * ({@code 'app_user'@'%'})
	 * @param violations the rules broken, each as the end of a sentence; empty when the login
	 * is unprivileged
	 * @param memberOf the privileged roles it can become
	 * @param grants the roles granted to it directly through which it reaches them
	 * @param revocations the statements that take the refused privileges away, where the
	 * database has such statements for them
	 */
	record Finding(String database, String role, List<String> violations, List<String> memberOf, List<String> grants,
			List<String> revocations) {

		boolean unprivileged() {
			return this.violations.isEmpty();
		}

	}

}
