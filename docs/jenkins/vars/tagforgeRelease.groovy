/**
 * Shared-library step: releases an image with TagForge and returns the digest the registry stored.
 *
 *   String digest = tagforgeRelease(image: 'registry.example.com/acme/api',
 *                                   credentialsId: 'registry-credentials',
 *                                   template: 'v.{sha:8}_{time:yyyyMMddHHmm}-{build}')
 *
 * Arguments: image (required), credentialsId (a username/password credential; omit to use the agent's docker
 * login), template, context (default '.'), dockerfile, record (default 'tagforge.json'). The record is archived.
 *
 * Installing tagforge on an agent, today: TagForge is not on a NuGet feed yet, so build it from its source, the
 * repository this shared library (vars/) comes from, once per agent (the .NET 10 SDK and git needed; no root):
 *   git clone https://github.com/tagforge/tagforge.git && tagforge/scripts/install.sh --tool --prefix "$HOME/.local"
 * and put $HOME/.local/bin on the agent's PATH (install.sh prints it). Once TagForge is published:
 *   dotnet tool install -g TagForge --version VERSION   (or --prerelease)
 */
String call(Map args = [:]) {
    String image = args.image
    if (!image) {
        error 'tagforgeRelease: give the image, e.g. tagforgeRelease(image: "registry.example.com/acme/api")'
    }
    String record = args.record ?: 'tagforge.json'
    Map releaseEnv = [
        TAGFORGE_IMAGE: image,
        TAGFORGE_RECORD: record,
        TAGFORGE_TEMPLATE: args.template ?: '',
        TAGFORGE_CONTEXT: args.context ?: '.',
        TAGFORGE_DOCKERFILE: args.dockerfile ?: '',
    ]
    List<String> envList = releaseEnv.collect { name, value -> "${name}=${value}" }
    String releaseScript = '''
        set -e
        set -- release --image "$TAGFORGE_IMAGE" --record "$TAGFORGE_RECORD"
        if [ -n "$TAGFORGE_TEMPLATE" ]; then set -- "$@" --template "$TAGFORGE_TEMPLATE"; fi
        if [ -n "$TAGFORGE_DOCKERFILE" ]; then set -- "$@" --file "$TAGFORGE_DOCKERFILE"; fi
        set -- "$@" "$TAGFORGE_CONTEXT"
        if [ -n "$REGISTRY_PASSWORD" ]; then
            printf '%s' "$REGISTRY_PASSWORD" | tagforge "$@" --username "$REGISTRY_USER" --password-stdin
        else
            tagforge "$@"
        fi
    '''

    String digest = ''
    withEnv(envList) {
        if (args.credentialsId) {
            withCredentials([usernamePassword(credentialsId: args.credentialsId,
                    usernameVariable: 'REGISTRY_USER', passwordVariable: 'REGISTRY_PASSWORD')]) {
                sh label: 'tagforge release', script: releaseScript
            }
        } else {
            sh label: 'tagforge release', script: releaseScript
        }
        archiveArtifacts artifacts: record, fingerprint: true
        String digestScript = 'tagforge record get --record "$TAGFORGE_RECORD" --image "$TAGFORGE_IMAGE" --field digest'
        digest = sh(label: 'read digest', returnStdout: true, script: digestScript).trim()
    }
    return digest
}
