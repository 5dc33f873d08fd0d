"""Non-English review and conversation comments (German, Japanese, Spanish, Portuguese, French)."""

from __future__ import annotations

FOREIGN: dict[str, tuple[str, ...]] = {
    "de": (
        "Könnten wir `{ident}` umbenennen? Der Name sagt nicht, was drin steckt.",
        "Hier fehlt noch ein Test für den Fehlerfall von `{ident}`.",
        "Sieht gut aus, danke! Nur eine Kleinigkeit bei `{other}`.",
        "Warum wird `{ident}` hier zweimal aufgerufen?",
        "Das sollten wir besser in `{other}` auslagern, sonst wird die Datei zu lang.",
        "Bitte noch die Doku anpassen, dann passt das.",
        "Ich glaube, `{ident}` kann hier None sein. Lieber vorher prüfen.",
        "Schöne Lösung! Gefällt mir deutlich besser als vorher.",
    ),
    "ja": (
        "`{ident}` の名前をもう少し具体的にできますか？",
        "ここでエラーを握りつぶしているように見えます。ログだけでも出しましょう。",
        "テストを追加してもらえると助かります。",
        "いいですね！読みやすくなりました。",
        "`{other}` を再利用できそうです。",
        "この処理は `{ident}` の外に出したほうがシンプルだと思います。",
        "細かいですが、定数にしたほうが意図が伝わりやすいです。",
        "確認ありがとうございます。LGTMです 👍",
    ),
    "es": (
        "¿Podemos renombrar `{ident}`? No queda claro qué devuelve.",
        "Falta un test para el caso en que `{other}` está vacío.",
        "¡Muy buen cambio! Mucho más legible.",
        "Creo que esto duplica la lógica de `{other}`.",
        "¿Por qué necesitamos `{ident}` aquí?",
        "Sugiero mover esto a un helper para que `{file}` sea más corto.",
        "Gracias por el arreglo, se ve bien.",
    ),
    "pt": (
        "Podemos renomear `{ident}`? O nome não diz o que ele guarda.",
        "Falta tratar o erro de `{ident}` aqui.",
        "Ficou ótimo, obrigado!",
        "Acho que `{other}` já faz isso, dá para reutilizar.",
        "Que tal adicionar um teste para esse caso?",
        "Boa! Ficou bem mais simples.",
        "Isso muda o comportamento para quem chama `{ident}`, né?",
    ),
    "fr": (
        "On pourrait renommer `{ident}` ? Le nom est un peu vague.",
        "Il manque un test pour le cas d'erreur.",
        "Très propre, merci !",
    ),
}

FOREIGN_CONVERSATION: dict[str, tuple[str, ...]] = {
    "de": (
        "Danke für das Review! Ich habe alles angepasst.",
        "Rebase auf main ist erledigt.",
        "Kann jemand nochmal drüberschauen?",
    ),
    "ja": (
        "レビューありがとうございます！修正しました。",
        "main にリベースしました。",
        "もう一度見ていただけますか？",
    ),
    "es": (
        "¡Gracias por la revisión! Ya lo corregí.",
        "Hice rebase sobre main.",
        "¿Alguien puede revisarlo de nuevo?",
    ),
    "pt": ("Obrigado pela revisão! Já corrigi.", "Fiz rebase na main.", "Alguém pode dar mais uma olhada?"),
    "fr": ("Merci pour la relecture !",),
}
