"""The pension register (pensionsregistret) and the customer records (kundregistret) of the back office.

Money is ``DecimalField(max_digits=14, decimal_places=2)`` in kronor (docs/decisions/0002). Swedish terms
are in docs/glossary.md.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CivilStatus(models.TextChoices):
    """Civilstånd as the population register (folkbokföringen) records it."""

    UNMARRIED = "unmarried", _("unmarried")
    MARRIED = "married", _("married")
    DIVORCED = "divorced", _("divorced")
    WIDOWED = "widowed", _("widowed")
    REGISTERED_PARTNER = "partner", _("registered partner")


class Person(models.Model):
    """A person the authority keeps pension records for, identified by a personal or coordination number.

    The number is stored in its canonical 12-digit form (see ``kernel.personal_number``). Names, civil
    status and address come from the population register (folkbokföringen); ``residence_years`` is the
    insurance period (försäkringstid) that guarantee pension is scaled by; ``protected_identity`` marks
    skyddad folkbokföring (sekretessmarkering), whose address is never shown or sent.
    """

    personal_number = models.CharField(_("personal identity number"), max_length=12, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    civil_status = models.CharField(
        _("civil status"), max_length=16, choices=CivilStatus.choices, default=CivilStatus.UNMARRIED
    )
    residence_years = models.DecimalField(_("years of residence in Sweden"), max_digits=4, decimal_places=1, default=40)
    drawing_pension = models.BooleanField(_("draws old-age pension"), default=False)
    still_working = models.BooleanField(_("still working"), default=True)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    min_pension_user = models.BooleanField(_("registered Min Pension user"), default=False)
    synthetic = models.BooleanField(_("synthetic (created by seed_population)"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def married(self) -> bool:
        """Whether the guarantee-pension levels for married people apply (married or registered partner)."""
        return self.civil_status in (CivilStatus.MARRIED, CivilStatus.REGISTERED_PARTNER)


class PensionableIncome(models.Model):
    """The decided pensionable income (pensionsgrundande inkomst) of one income year and the rights it gives.

    Skatteverket decides PGI after the tax assessment of the year after; the pension rights (pensionsrätt)
    for inkomstpension and premiepension are 16 % and 2.5 % of the pension base (PGI plus pension credits,
    capped at 7.5 income base amounts), as computed by the pension engine.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incomes")
    income_year = models.PositiveSmallIntegerField(_("income year"))
    income = models.DecimalField(_("gross earned income"), max_digits=14, decimal_places=2)
    general_pension_fee = models.DecimalField(_("general pension fee"), max_digits=14, decimal_places=2)
    pensionable_income = models.DecimalField(_("pensionable income (PGI)"), max_digits=14, decimal_places=2)
    child_year_credit = models.DecimalField(
        _("pension credit for child years"), max_digits=14, decimal_places=2, default=0
    )
    study_credit = models.DecimalField(_("pension credit for studies"), max_digits=14, decimal_places=2, default=0)
    military_service_credit = models.DecimalField(
        _("pension credit for military service"), max_digits=14, decimal_places=2, default=0
    )
    income_pension_right = models.DecimalField(_("income-pension right"), max_digits=14, decimal_places=2)
    premium_pension_right = models.DecimalField(_("premium-pension right"), max_digits=14, decimal_places=2)
    decided_on = models.DateField(_("decision date"))

    class Meta:
        verbose_name = _("pensionable income")
        verbose_name_plural = _("pensionable incomes")
        constraints = (models.UniqueConstraint(fields=("person", "income_year"), name="register_income_once"),)

    def __str__(self) -> str:
        return f"{self.income_year}"


class AccountKind(models.TextChoices):
    """The two accounts of the public old-age pension that the orange envelope reports."""

    INCOME_PENSION = "income_pension", _("income pension")
    PREMIUM_PENSION = "premium_pension", _("premium pension")


class AccountStatement(models.Model):
    """One year of one pension account, as the annual statement (orange kuvert) reports it.

    Opening value + new rights + inheritance gains (arvsvinster) + value change + fees
    (förvaltningskostnadsavdrag, negative) + paid out (utbetald pension, negative; zero before withdrawal)
    = closing value (pensionsbehållning). Written by the yearly statement run (``run_statements``), at most
    once per person, year and account; a pensioner has one for each year they still earn rights.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="statements")
    year = models.PositiveSmallIntegerField(_("statement year"))
    account = models.CharField(_("account"), max_length=16, choices=AccountKind.choices)
    opening_value = models.DecimalField(_("opening value"), max_digits=14, decimal_places=2)
    new_rights = models.DecimalField(_("new pension rights"), max_digits=14, decimal_places=2)
    inheritance_gains = models.DecimalField(_("inheritance gains"), max_digits=14, decimal_places=2)
    value_change = models.DecimalField(_("value change"), max_digits=14, decimal_places=2)
    fees = models.DecimalField(_("fees"), max_digits=14, decimal_places=2)
    paid_out = models.DecimalField(_("pension paid out"), max_digits=14, decimal_places=2, default=0)
    closing_value = models.DecimalField(_("closing value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("account statement")
        verbose_name_plural = _("account statements")
        constraints = (models.UniqueConstraint(fields=("person", "year", "account"), name="register_statement_once"),)

    def __str__(self) -> str:
        return f"{self.year} {self.account}"


class FundHolding(models.Model):
    """Premium-pension fund units (fondandelar) a person holds on a valuation date.

    ``value`` is units × the fund's net asset value per unit; ``fee_percent`` is the fund's yearly fee
    after rebate (fondavgift), to which PM's administration fee is added.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="fund_holdings")
    fund_id = models.CharField(_("fund number"), max_length=16)
    fund_name = models.CharField(_("fund name"), max_length=120)
    units = models.DecimalField(_("units"), max_digits=18, decimal_places=4)
    unit_price = models.DecimalField(_("net asset value per unit"), max_digits=12, decimal_places=4)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    fee_percent = models.DecimalField(_("yearly fund fee (%)"), max_digits=5, decimal_places=3)
    valued_on = models.DateField(_("valuation date"))

    class Meta:
        verbose_name = _("fund holding")
        verbose_name_plural = _("fund holdings")
        constraints = (models.UniqueConstraint(fields=("person", "fund_id"), name="register_holding_once"),)

    def __str__(self) -> str:
        return self.fund_name


class BenefitKind(models.TextChoices):
    """The parts of the public old-age pension a decision can grant."""

    INCOME_PENSION = "income_pension", _("income pension")
    PREMIUM_PENSION = "premium_pension", _("premium pension")
    SUPPLEMENTARY_PENSION = "supplementary_pension", _("supplementary pension")
    GUARANTEE_PENSION = "guarantee_pension", _("guarantee pension")
    INCOME_PENSION_SUPPLEMENT = "income_pension_supplement", _("income pension supplement")


class PensionDecision(models.Model):
    """A decision (beslut) on one part of a pensioner's old-age pension and its amount from a date.

    The first decision on a part grants it; every January a new one recalculates it (omräkning) after the
    indexation and the year's new levels. The decision in force on a day is the part's latest one payable
    from that day or before. ``monthly_amount`` is gross kronor a month from ``payable_from``;
    ``withdrawal_share`` is the uttagsandel (25, 50, 75 or 100 %).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="decisions")
    benefit = models.CharField(_("benefit"), max_length=32, choices=BenefitKind.choices)
    decided_on = models.DateField(_("decision date"))
    payable_from = models.DateField(_("payable from"))
    withdrawal_share = models.PositiveSmallIntegerField(_("withdrawal share (%)"), default=100)
    monthly_amount = models.DecimalField(_("monthly amount before tax"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("pension decision")
        verbose_name_plural = _("pension decisions")
        constraints = (
            models.UniqueConstraint(fields=("person", "benefit", "payable_from"), name="register_decision_once_a_day"),
        )

    def __str__(self) -> str:
        return self.benefit


class PensionPayment(models.Model):
    """One monthly payment (utbetalning) of pension: gross, preliminary tax withheld, net, and the date.

    Payments on or before today are paid; later ones are the next planned payments.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="payments")
    payment_date = models.DateField(_("payment date"))
    gross = models.DecimalField(_("amount before tax"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("preliminary tax"), max_digits=14, decimal_places=2)
    net = models.DecimalField(_("amount paid out"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("pension payment")
        verbose_name_plural = _("pension payments")
        ordering = ("payment_date",)
        constraints = (models.UniqueConstraint(fields=("person", "payment_date"), name="register_payment_once"),)

    def __str__(self) -> str:
        return f"{self.payment_date}"


class NoticeChoice(models.TextChoices):
    """How the person wants to hear that something waits on Mina sidor (aviseringar)."""

    EMAIL = "email", _("by e-mail")
    SMS = "sms", _("by text message")
    EMAIL_AND_SMS = "email_and_sms", _("by e-mail and text message")
    NONE = "none", _("no notices")


class Language(models.TextChoices):
    """The language of letters and notices."""

    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class ContactDetails(models.Model):
    """How to reach a person: the population-register address, an optional special postal address, e-mail, phone.

    The registered address (folkbokföringsadress) comes from Skatteverket; the special postal address
    (särskild postadress) is one the person asked letters to go to instead. Neither is disclosed for a
    person with protected identity. Notices go by the channels of ``notice_choice``, by e-mail only to a
    confirmed address (``email_confirmed``), in ``language``.

    A new e-mail address waits in ``pending_email`` until its owner confirms it by the link sent to it; until
    then the old address stays in use (decision 0160). The address it replaced is kept in ``previous_email``
    until ``previous_email_until``: notices that details changed go there too, so a person whose e-mail was
    changed by someone else still hears of the next change.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="contact_details")
    street_address = models.CharField(_("street address"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=60, blank=True)
    special_street_address = models.CharField(_("special postal address: street"), max_length=120, blank=True)
    special_postal_code = models.CharField(_("special postal address: postal code"), max_length=10, blank=True)
    special_city = models.CharField(_("special postal address: city"), max_length=60, blank=True)
    special_country = models.CharField(_("special postal address: country"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Defaults in the database too: the seed writes customer records with COPY / raw INSERTs.
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False, db_default=False)
    pending_email = models.EmailField(_("new e-mail, not yet confirmed"), blank=True, default="", db_default="")
    previous_email = models.EmailField(_("previous e-mail"), blank=True, default="", db_default="")
    previous_email_until = models.DateTimeField(_("previous e-mail told of changes until"), null=True, blank=True)
    notice_choice = models.CharField(
        _("notices"),
        max_length=16,
        choices=NoticeChoice.choices,
        default=NoticeChoice.EMAIL,
        db_default=NoticeChoice.EMAIL,
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH, db_default=Language.SWEDISH
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self) -> str:
        return f"{self.person_id}"


class PaymentAccount(models.Model):
    """The bank account pension is paid into (utbetalningskonto): clearing number and account number."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="payment_account")
    bank_name = models.CharField(_("bank"), max_length=60)
    clearing_number = models.CharField(_("clearing number"), max_length=5)
    account_number = models.CharField(_("account number"), max_length=15)
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment account")
        verbose_name_plural = _("payment accounts")

    def __str__(self) -> str:
        return f"{self.person_id}"


class TaxSettings(models.Model):
    """How preliminary tax is withheld from pension (skatteavdrag).

    By default the tax table (skattetabell) of the home municipality applies; a person may ask for extra
    withholding (frivilligt skatteavdrag, kronor per month) or present a decision on adjustment (jämkning)
    with a fixed percentage.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="tax_settings")
    municipal_tax_rate = models.DecimalField(_("municipal tax rate (%)"), max_digits=5, decimal_places=2)
    tax_table = models.PositiveSmallIntegerField(_("tax table"))
    extra_withholding = models.DecimalField(
        _("extra withholding per month"), max_digits=14, decimal_places=2, default=0
    )
    adjusted_percent = models.DecimalField(
        _("adjusted withholding (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    adjustment_reference = models.CharField(
        _("reference of the decision on adjusted tax"), max_length=30, blank=True, default="", db_default=""
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("tax settings")
        verbose_name_plural = _("tax settings")

    def __str__(self) -> str:
        return f"{self.person_id}"


class RegisterAccessRecord(models.Model):
    """The back office's own record of one read or change made through the registers boundary.

    The portal keeps its own access log in its own database; the back office, as the system of record,
    records every call it serves: which service called, for which principal, about whom, what, and the
    request id that ties it to the portal's record. Rows are only added.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    service = models.CharField(_("calling service"), max_length=32)
    channel = models.CharField(_("channel"), max_length=16)
    principal_kind = models.CharField(_("who (kind)"), max_length=16)
    principal_ref = models.CharField(_("who"), max_length=128)
    personal_number = models.CharField(_("whose records"), max_length=12, db_index=True)
    action = models.CharField(_("what"), max_length=64)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("register access record")
        verbose_name_plural = _("register access records")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


# --- The batch's and the generator's bookkeeping -----------------------------------------------------
# Their code lives in backoffice.statements (the statement run) and backoffice.synthetic (the seed); the
# tables stay with the register's, in its migrations (docs/decisions/0038). The register reads none of them.


class StatementRun(models.Model):
    """One yearly statement run (årsbesked) over every saver, in partitions by personal number.

    The run is restartable: each partition's statements and its ``done`` mark are written in one
    transaction, so a killed run resumes at the first partition not done.
    """

    year = models.PositiveSmallIntegerField(_("statement year"), unique=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement run")
        verbose_name_plural = _("statement runs")

    def __str__(self) -> str:
        return f"{self.year}"


class StatementPartition(models.Model):
    """A slice of the statement run: the persons whose personal numbers n satisfy from ≤ n < to.

    Bounds are fixed when the run starts; together the partitions cover every possible number, so a
    person added during a run is not lost.
    """

    run = models.ForeignKey(StatementRun, on_delete=models.CASCADE, related_name="partitions")
    number = models.PositiveIntegerField(_("partition number"))
    from_personal_number = models.CharField(_("from personal number (inclusive)"), max_length=12)
    to_personal_number = models.CharField(_("to personal number (exclusive)"), max_length=12)
    candidates = models.PositiveIntegerField(_("persons in the partition"), default=0)
    persons = models.PositiveIntegerField(_("persons given a statement"), default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement partition")
        verbose_name_plural = _("statement partitions")
        constraints = (models.UniqueConstraint(fields=("run", "number"), name="register_partition_once"),)

    def __str__(self) -> str:
        return f"{self.run_id}/{self.number}"


class PopulationSeed(models.Model):
    """Which synthetic population the register holds (``seed_population --persons N --seed S``), if any."""

    persons = models.PositiveIntegerField(_("persons"))
    seed = models.BigIntegerField(_("seed"))
    seeded_at = models.DateTimeField(_("seeded"))

    class Meta:
        verbose_name = _("population seed")
        verbose_name_plural = _("population seeds")

    def __str__(self) -> str:
        return f"{self.persons} × {self.seed}"
