package io.tracewire.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.tracewire.core.event.spi.BusAccess;
import io.tracewire.core.event.spi.ConfigAccess;
import io.tracewire.core.event.spi.TracerEngine;
import io.tracewire.core.internal.RunNode;
import io.tracewire.core.internal.TracerEngineImpl;
import io.tracewire.core.sink.EventBus;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * tracer-core's own layering, bottom up: the value helpers ({@code util}, the JDK only); the API
 * (the root package, {@code context}, {@code event} with the engine seam {@code event.spi},
 * {@code sink}, {@code message}); the engine ({@code internal}), which consumes the API and
 * implements the seam; and the components built on the engine ({@code runnable}, {@code model},
 * {@code parser}, {@code prompt}, {@code retriever}, {@code tool}, {@code fake}).
 */
class CoreLayeringTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tracewire.core");

  private static final String[] API = {"io.tracewire.core", "io.tracewire.core.context..", "io.tracewire.core.event..",
      "io.tracewire.core.sink..", "io.tracewire.core.message.."};
  private static final String[] COMPONENTS = {"io.tracewire.core.runnable..", "io.tracewire.core.model..",
      "io.tracewire.core.parser..", "io.tracewire.core.prompt..", "io.tracewire.core.retriever..",
      "io.tracewire.core.tool..", "io.tracewire.core.fake.."};

  @Test
  void coreDependsOnNothingButTheJdk() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tracewire.core..")
        .because("tracer-core has zero dependencies: everything above it may depend on it, never the reverse")
        .check(CORE);
  }

  @Test
  void corePackagesAreFreeOfCycles() {
    slices().matching("io.tracewire.core.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void theValueHelpersDependOnTheJdkOnly() {
    classes().that().resideInAPackage("io.tracewire.core.util..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tracewire.core.util..")
        .because("util sits beneath the API: the API's records build on it")
        .check(CORE);
  }

  @Test
  void theApiNeverReachesTheEngineButThroughTheSeam() {
    noClasses().that().resideInAnyPackage(API)
        .should().dependOnClassesThat().resideInAPackage("io.tracewire.core.internal..")
        .because("the API sits beneath the engine; its entry points call event.spi.TracerEngine, which the engine implements")
        .check(CORE);
    noClasses().that().resideInAPackage("io.tracewire.core.event.spi..")
        .should().dependOnClassesThat().resideInAnyPackage(concat(COMPONENTS, "io.tracewire.core.internal..",
            "io.tracewire.core.sink.."))
        .because("the seam names the API's own types only")
        .check(CORE);
  }

  @Test
  void theSeamsCallbackHalvesAreInstalledByTheirApiClassOnly() {
    noClasses().that().resideInAnyPackage(API).and(outside(RunConfig.class))
        .should().dependOnClassesThat().areAssignableTo(ConfigAccess.class)
        .check(CORE);
    noClasses().that().resideInAnyPackage(API).and(outside(EventBus.class))
        .should().dependOnClassesThat().areAssignableTo(BusAccess.class)
        .check(CORE);
  }

  @Test
  void theEngineImplementsTheSeamOnce() {
    Set<String> impls = CORE.stream()
        .filter(c -> c.isAssignableTo(TracerEngine.class) && !c.isEquivalentTo(TracerEngine.class))
        .map(JavaClass::getName).collect(Collectors.toSet());
    assertThat(impls).containsExactly(TracerEngineImpl.class.getName());
    assertThat(TracerEngine.INSTANCE).isExactlyInstanceOf(TracerEngineImpl.class);
    assertThat(CORE.get(TracerEngineImpl.class).getModifiers()).contains(JavaModifier.FINAL);
  }

  @Test
  void theEngineDependsOnNoComponentBuiltOnIt() {
    noClasses().that().resideInAPackage("io.tracewire.core.internal..")
        .should().dependOnClassesThat().resideInAnyPackage(COMPONENTS)
        .because("runnables, models, parsers, prompts, retrievers, tools and fakes are built on the engine")
        .check(CORE);
  }

  @Test
  void apiPackagesNeverDependOnOneAnotherInACycleThroughModels() {
    // the data types at the bottom of the API (events, messages) know nothing of what produces them
    noClasses().that().resideInAnyPackage("io.tracewire.core.message..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.core.runnable..", "io.tracewire.core.model..",
            "io.tracewire.core.sink..", "io.tracewire.core.prompt..", "io.tracewire.core.parser..", "io.tracewire.core.tool..",
            "io.tracewire.core.retriever..", "io.tracewire.core.fake..")
        .check(CORE);
    noClasses().that().resideInAnyPackage("io.tracewire.core.event..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.core.model..", "io.tracewire.core.prompt..",
            "io.tracewire.core.parser..", "io.tracewire.core.tool..", "io.tracewire.core.retriever..", "io.tracewire.core.fake..")
        .check(CORE);
  }

  @Test
  void noTypeOfAnUnexportedPackageAppearsInAPublicSignature() {
    Set<String> exported = exportedPackages();
    assertThat(exported).contains("io.tracewire.core", "io.tracewire.core.event")
        .doesNotContain("io.tracewire.core.internal", "io.tracewire.core.util", "io.tracewire.core.event.spi");
    classes().that(inPackages(exported)).and().arePublic()
        .should(exposeOnlyTypesOf(exported))
        .check(CORE);
  }

  /** The packages tracer-core's module-info exports (tests may run on the class path: then read from the class file). */
  @Test
  void theSignatureRuleCatchesAnEngineTypeInAPublicSignature() {
    JavaClasses leaky = new ClassFileImporter().importClasses(Leaky.class, Sound.class);
    assertThat(classes().should(exposeOnlyTypesOf(Set.of("io.tracewire.core"))).evaluate(leaky).getFailureReport().getDetails())
        .singleElement().asString().contains(Leaky.class.getName() + " exposes " + RunNode.class.getName());
  }

  /** A public type whose protected method takes an engine type: what the signature rule is for. */
  public static class Leaky {
    protected void handle(List<RunNode> runs) {}
  }

  /** The engine type in a private method only: fine. */
  public static class Sound {
    private void handle(RunNode run) {}

    public RunConfig config() {
      return RunConfig.empty();
    }
  }

  private static Set<String> exportedPackages() {
    ModuleDescriptor module = RunConfig.class.getModule().getDescriptor();
    if (module == null) {
      try (InputStream in = Files.newInputStream(
          Path.of(RunConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("module-info.class"))) {
        module = ModuleDescriptor.read(in);
      } catch (IOException | URISyntaxException e) {
        throw new AssertionError("cannot read tracer-core's module-info.class", e);
      }
    }
    return module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
  }

  private static DescribedPredicate<JavaClass> outside(Class<?> owner) {
    return DescribedPredicate.describe("are not " + owner.getSimpleName(),
        c -> !c.getName().equals(owner.getName()) && !c.getName().startsWith(owner.getName() + "$"));
  }

  private static DescribedPredicate<JavaClass> inPackages(Set<String> packages) {
    return DescribedPredicate.describe("reside in an exported package", c -> packages.contains(c.getPackageName()));
  }

  /** Public and protected members (and the type's own supertypes) name exported or JDK types only. */
  private static ArchCondition<JavaClass> exposeOnlyTypesOf(Set<String> exported) {
    return new ArchCondition<>("expose only types of exported packages") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        Set<JavaClass> named = new HashSet<>();
        c.getRawSuperclass().ifPresent(named::add);
        named.addAll(c.getRawInterfaces());
        for (JavaMember m : c.getMembers()) {
          Set<JavaModifier> mods = m.getModifiers();
          if (!mods.contains(JavaModifier.PUBLIC) && !mods.contains(JavaModifier.PROTECTED)) {
            continue;
          }
          if (m instanceof JavaField f) {
            named.addAll(f.getType().getAllInvolvedRawTypes());
          } else if (m instanceof JavaCodeUnit u) {
            named.addAll(u.getReturnType().getAllInvolvedRawTypes());
            u.getParameterTypes().forEach(t -> named.addAll(t.getAllInvolvedRawTypes()));
            u.getThrowsClause().getTypes().forEach(named::add);
          }
        }
        for (JavaClass t : named) {
          JavaClass base = t.getBaseComponentType();
          String pkg = base.getPackageName();
          if (pkg.startsWith("io.tracewire.") && !exported.contains(pkg)) {
            events.add(SimpleConditionEvent.violated(c, c.getName() + " exposes " + base.getName()));
          }
        }
      }
    };
  }

  private static String[] concat(String[] a, String... b) {
    return List.of(a, b).stream().flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
