// The Android build of LOfavør: the Rust core as a library module, and the app shell.
// Versions live in gradle/libs.versions.toml (picked up as `libs`).

pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    // Modules declare no repositories of their own: one list, checked here.
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "lofavor-android"

include(":lofavor-core", ":app")
