package io.tracewire.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of the published modules, checked on their compiled classes (the CLI's test
 * classpath holds all of them): internal packages stay inside their module, and no module
 * reaches up or sideways into another's implementation.
 */
class ArchitectureTest {
  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tracewire");

  @Test
  void theImportSeesEveryModule() {
    for (String pkg : new String[] {"io.tracewire.core.internal", "io.tracewire.adapters.internal", "io.tracewire.exporters.jsonl",
        "io.tracewire.dashboard", "io.tracewire.test"}) {
      org.assertj.core.api.Assertions.assertThat(ALL.containPackage(pkg)).as(pkg).isTrue();
    }
  }

  @Test
  void coreInternalsAreUsedByTheCoreOnly() {
    noClasses().that().resideOutsideOfPackage("io.tracewire.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.core.internal..", "io.tracewire.core.event.spi..",
            "io.tracewire.core.util..")
        .because("the engine, its seam and the core's value helpers are not API (the module does not export them)")
        .check(ALL);
  }

  @Test
  void adapterInternalsAreUsedByTheAdaptersOnly() {
    noClasses().that().resideOutsideOfPackage("io.tracewire.adapters..")
        .should().dependOnClassesThat().resideInAPackage("io.tracewire.adapters.internal..")
        .check(ALL);
  }

  @Test
  void coreImportsNothingAboveIt() {
    noClasses().that().resideInAPackage("io.tracewire.core..")
        .should().dependOnClassesThat().resideOutsideOfPackages("io.tracewire.core..", "java..")
        .check(ALL);
  }

  @Test
  void exportersKnowNeitherTheDashboardNorTheCliNorTheProviders() {
    noClasses().that().resideInAPackage("io.tracewire.exporters..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.dashboard..", "io.tracewire.cli..",
            "io.tracewire.adapters..", "io.tracewire.test..", "io.tracewire.bench..", "io.tracewire.benchmarks..")
        .check(ALL);
  }

  @Test
  void theDashboardUsesTheExportersApiButNoCliOrProviderCode() {
    noClasses().that().resideInAPackage("io.tracewire.dashboard..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.cli..", "io.tracewire.adapters..",
            "io.tracewire.test..", "io.tracewire.bench..", "io.tracewire.benchmarks..")
        .check(ALL);
  }

  @Test
  void providerAdaptersKnowNoSinks() {
    noClasses().that().resideInAPackage("io.tracewire.adapters..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.exporters..", "io.tracewire.dashboard..",
            "io.tracewire.cli..", "io.tracewire.test..")
        .check(ALL);
  }

  @Test
  void nothingPublishedDependsOnTheCli() {
    noClasses().that().resideOutsideOfPackage("io.tracewire.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.tracewire.cli..")
        .check(ALL);
  }
}
