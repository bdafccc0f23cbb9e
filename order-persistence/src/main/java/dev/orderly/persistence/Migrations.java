package dev.orderly.persistence;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings a database's Orderly schema up to date with the versioned SQL files shipped in this jar
 * ({@code dev/orderly/persistence/migration/V*.sql}), through Flyway. Safe to run from many nodes
 * at once: Flyway serialises them with a database lock. A released migration is never edited.
 */
public final class Migrations {

  static final String LOCATION = "classpath:dev/orderly/persistence/migration";

  private Migrations() {}

  /**
   * Applies every pending migration.
   *
   * @param schema the schema to keep Orderly's tables in, created when missing; {@code null} for
   *     the connection's default schema
   */
  public static void apply(DataSource dataSource, String schema) {
    var configuration =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .table("orderly_schema_history");
    if (schema != null) {
      configuration.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
    configuration.load().migrate();
  }
}
