package kz.qaqpa.gateway.appeals;

import java.util.Map;

/** The words of the appeal and look-up pages, in Kazakh, Russian and English. */
final class PageText {

    private static final Map<String, Map<String, String>> TEXT = Map.of(
            "kk", Map.ofEntries(
                    Map.entry("title", "Интернет-ресурсқа қол жеткізуді қайта бастау туралы жолданым"),
                    Map.entry("intro", "Қол жеткізуді шектеу үшін негіз болған материалды жойған болсаңыз, осы нысанды толтырыңыз."
                            + " Жолданым 15 жұмыс күні ішінде қаралады."),
                    Map.entry("kind", "Жолданым беруші"), Map.entry("OWNER", "Меншік иесі"),
                    Map.entry("REPRESENTATIVE", "Заңды өкіл"), Map.entry("USER", "Пайдаланушы"),
                    Map.entry("person", "Жеке тұлға"), Map.entry("personName", "Тегі, аты, әкесінің аты"), Map.entry("iin", "ЖСН"),
                    Map.entry("organisation", "Заңды тұлға"), Map.entry("organisationName", "Атауы"), Map.entry("bin", "БСН"),
                    Map.entry("representative", "Өкілі"), Map.entry("email", "Электрондық пошта"),
                    Map.entry("resource", "Интернет-ресурс (домен немесе URL)"), Map.entry("directiveNumber", "Нұсқаманың нөмірі"),
                    Map.entry("links", "Материал жойылған сілтемелер (әр жолға біреу)"), Map.entry("message", "Қосымша ақпарат"),
                    Map.entry("submit", "Жолданымды жіберу"), Map.entry("either", "Жеке тұлғаны немесе заңды тұлғаны толтырыңыз."),
                    Map.entry("registered", "Жолданым тіркелді"), Map.entry("number", "Тіркеу нөмірі"),
                    Map.entry("deadline", "Мониторинг мерзімі"), Map.entry("statusLink", "Мәртебе сілтемесі (сақтап қойыңыз)"),
                    Map.entry("errors", "Жолданым тіркелмеді"), Map.entry("status", "Мәртебесі"),
                    Map.entry("lookupTitle", "Ресурс шектелген бе?"), Map.entry("lookupAsk", "Домен немесе URL"),
                    Map.entry("lookupButton", "Тексеру"), Map.entry("restricted", "Қол жеткізу шектелген"),
                    Map.entry("notRestricted", "Қол жеткізу шектелмеген"), Map.entry("directive", "Нұсқама"),
                    Map.entry("issuedOn", "күні"), Map.entry("authority", "Уәкілетті орган"),
                    Map.entry("legalBasis", "Құқықтық негіз"), Map.entry("since", "Шектелген уақыты"),
                    Map.entry("appealLink", "Материал жойылды ма? Жолданым беріңіз"), Map.entry("notFound", "Жолданым табылмады"),
                    Map.entry("emailConfirmed", "Электрондық пошта мекенжайы расталды"),
                    Map.entry("emailConfirmedText", "Жолданым туралы хабарламалар осы мекенжайға жіберіледі."),
                    Map.entry("emailPending", "Электрондық пошта мекенжайы әлі расталған жоқ: хатта берілген сілтемені ашыңыз.")),
            "ru", Map.ofEntries(
                    Map.entry("title", "Обращение о возобновлении доступа к интернет-ресурсу"),
                    Map.entry("intro", "Если вы удалили материал, послуживший основанием для ограничения доступа, заполните форму."
                            + " Обращение рассматривается в течение 15 рабочих дней."),
                    Map.entry("kind", "Заявитель"), Map.entry("OWNER", "Собственник"),
                    Map.entry("REPRESENTATIVE", "Законный представитель"), Map.entry("USER", "Пользователь"),
                    Map.entry("person", "Физическое лицо"), Map.entry("personName", "Фамилия, имя, отчество"), Map.entry("iin", "ИИН"),
                    Map.entry("organisation", "Юридическое лицо"), Map.entry("organisationName", "Наименование"), Map.entry("bin", "БИН"),
                    Map.entry("representative", "Представитель"), Map.entry("email", "Электронная почта"),
                    Map.entry("resource", "Интернет-ресурс (домен или URL)"), Map.entry("directiveNumber", "Номер предписания"),
                    Map.entry("links", "Ссылки, с которых удалён материал (по одной в строке)"), Map.entry("message", "Дополнительно"),
                    Map.entry("submit", "Отправить обращение"), Map.entry("either", "Заполните данные физического или юридического лица."),
                    Map.entry("registered", "Обращение зарегистрировано"), Map.entry("number", "Регистрационный номер"),
                    Map.entry("deadline", "Срок мониторинга"), Map.entry("statusLink", "Ссылка на статус (сохраните её)"),
                    Map.entry("errors", "Обращение не зарегистрировано"), Map.entry("status", "Статус"),
                    Map.entry("lookupTitle", "Ограничен ли доступ к ресурсу?"), Map.entry("lookupAsk", "Домен или URL"),
                    Map.entry("lookupButton", "Проверить"), Map.entry("restricted", "Доступ ограничен"),
                    Map.entry("notRestricted", "Доступ не ограничен"), Map.entry("directive", "Предписание"),
                    Map.entry("issuedOn", "от"), Map.entry("authority", "Уполномоченный орган"),
                    Map.entry("legalBasis", "Правовое основание"), Map.entry("since", "Ограничен с"),
                    Map.entry("appealLink", "Материал удалён? Подайте обращение"), Map.entry("notFound", "Обращение не найдено"),
                    Map.entry("emailConfirmed", "Адрес электронной почты подтверждён"),
                    Map.entry("emailConfirmedText", "Уведомления по обращению будут приходить на этот адрес."),
                    Map.entry("emailPending", "Адрес электронной почты ещё не подтверждён: откройте ссылку из письма.")),
            "en", Map.ofEntries(
                    Map.entry("title", "Appeal to restore access to an internet resource"),
                    Map.entry("intro", "If you have removed the material for which access was restricted, fill in this form."
                            + " The appeal is examined within 15 working days."),
                    Map.entry("kind", "Appellant"), Map.entry("OWNER", "Owner"),
                    Map.entry("REPRESENTATIVE", "Legal representative"), Map.entry("USER", "User"),
                    Map.entry("person", "A person"), Map.entry("personName", "Full name"), Map.entry("iin", "IIN"),
                    Map.entry("organisation", "An organisation"), Map.entry("organisationName", "Name"), Map.entry("bin", "BIN"),
                    Map.entry("representative", "Representative"), Map.entry("email", "E-mail"),
                    Map.entry("resource", "Internet resource (domain or URL)"), Map.entry("directiveNumber", "Directive number"),
                    Map.entry("links", "Links from which the material was removed (one per line)"), Map.entry("message", "More"),
                    Map.entry("submit", "Send the appeal"), Map.entry("either", "Fill in a person or an organisation."),
                    Map.entry("registered", "Appeal registered"), Map.entry("number", "Registration number"),
                    Map.entry("deadline", "Monitoring ends"), Map.entry("statusLink", "Status link (keep it)"),
                    Map.entry("errors", "The appeal was not registered"), Map.entry("status", "Status"),
                    Map.entry("lookupTitle", "Is a resource restricted?"), Map.entry("lookupAsk", "Domain or URL"),
                    Map.entry("lookupButton", "Check"), Map.entry("restricted", "Access is restricted"),
                    Map.entry("notRestricted", "Access is not restricted"), Map.entry("directive", "Directive"),
                    Map.entry("issuedOn", "of"), Map.entry("authority", "Authority"),
                    Map.entry("legalBasis", "Legal basis"), Map.entry("since", "Restricted since"),
                    Map.entry("appealLink", "Material removed? Appeal"), Map.entry("notFound", "No such appeal"),
                    Map.entry("emailConfirmed", "E-mail address confirmed"),
                    Map.entry("emailConfirmedText", "The notices of the appeal will come to this address."),
                    Map.entry("emailPending", "The e-mail address is not confirmed yet: open the link in the mail.")));

    private PageText() {
    }

    /** The language asked for, or Kazakh. */
    static String language(String asked) {
        return asked != null && TEXT.containsKey(asked) ? asked : "kk";
    }

    static String get(String language, String key) {
        return TEXT.get(language).getOrDefault(key, key);
    }
}
